#!/usr/bin/env node
// Prints the README's option table (after `npm run build`, which emits build/options-table.js).
import { optionsTable } from '../build/options-table.js';

console.log(optionsTable());
