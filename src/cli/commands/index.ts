import type { Command } from 'commander';
import { registerAlertsCommand } from './alerts.js';
import { registerArchiveCommand } from './archive.js';
import { registerAuthCommand } from './auth.js';
import { registerCheckCommand } from './check.js';
import { registerConfigCommand } from './config.js';
import { registerDemoCommand } from './demo.js';
import { registerFindingsCommand } from './findings.js';
import { registerReportCommand } from './report.js';
import { registerJobsCommand } from './jobs.js';
import { registerScheduleCommand } from './schedule.js';
import { registerStatusCommand } from './status.js';
import { registerSyncCommand } from './sync.js';
import { registerVerifyMirrorCommand } from './verify-mirror.js';
import { registerWorkerCommand } from './worker.js';
import { registerSandboxCommand } from './sandbox.js';
import { registerProbeCommand } from './probe.js';
import { registerProgressCommand } from './progress.js';
import { registerServeCommand } from './serve.js';
import { registerUsersCommand } from './users.js';
import { registerCapacityCommand } from './capacity.js';

/** Each capability registers its own sub-command; one line each, in the order `--help` lists them. */
export const COMMANDS: ((program: Command) => void)[] = [
  registerDemoCommand,
  registerSyncCommand,
  registerVerifyMirrorCommand,
  registerStatusCommand,
  registerWorkerCommand,
  registerScheduleCommand,
  registerJobsCommand,
  registerConfigCommand,
  registerCheckCommand,
  registerFindingsCommand,
  registerProgressCommand,
  registerReportCommand,
  registerAlertsCommand,
  registerAuthCommand,
  registerProbeCommand,
  registerArchiveCommand,
  registerSandboxCommand,
  registerServeCommand,
  registerUsersCommand,
  registerCapacityCommand,
];
