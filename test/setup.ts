// After each test file: nothing it started may outlive it, even when a test failed half-way.
import { afterAll } from 'vitest';
import { killLeftovers } from './helpers/bundle.js';

afterAll(killLeftovers);
