// RE2 patterns approximated with JS RegExp. RE2 has no lookaround and no backreferences, so
// those are rejected like RE2 rejects them; `(?P<name>` is RE2's spelling of a named group.
const NOT_RE2 = [/\(\?<?[=!]/, /\\[1-9]/, /\\k</];

/** A partial-match RegExp (like RE2::PartialMatch), or undefined when RE2 would not compile it. */
export function re2ToRegExp(pattern: string): RegExp | undefined {
  if (NOT_RE2.some((re) => re.test(pattern))) return undefined;
  try {
    return new RegExp(pattern.replaceAll('(?P<', '(?<'));
  } catch {
    return undefined;
  }
}
