import type { Command } from 'commander';
import { registerConfigCommand } from './config.js';
import { registerDemoCommand } from './demo.js';

/** Each capability registers its own sub-command; one line each, in the order `--help` lists them. */
export const COMMANDS: ((program: Command) => void)[] = [registerDemoCommand, registerConfigCommand];
