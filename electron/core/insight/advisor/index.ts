/** Dockerfile advice (issue 11 part 3): findings with fixes, applying one safely, measuring a rebuild. */
export { applyAdvice, checkAdvice, type DigestLookup } from './advisor';
export { MEASURE_LABEL, measureBuild } from './measure';
