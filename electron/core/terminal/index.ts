export { DEBUG_DOCKERFILE } from './debug-image';
export { planDebugShell, shellQuote } from './debug-plan';
export {
  INSTANCE_LABEL,
  instanceId,
  instanceIsDead,
  type OrphanSweep,
  sweepOnConnect,
  sweepOrphans,
} from './orphans';
export { runTerminal, type TerminalDeps, TerminalSessions } from './terminal-session';
