export { DEBUG_DOCKERFILE } from './debug-image';
export { planDebugShell, shellQuote } from './debug-plan';
export { runTerminal, type TerminalDeps, TerminalSessions } from './terminal-session';
