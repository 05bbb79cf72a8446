/**
 * Run by bench/layers-big.ts in a fresh process: explores one image and prints, as one JSON line, what it
 * found and what it cost: the time to the first layer listed and to the whole exploration, and the process's
 * peak memory (the kernel's high-water mark of resident memory, VmHWM, and the JS heap's peak, sampled).
 *
 *   node --import tsx bench/layers-probe.ts IMAGE
 */
import { readFileSync } from 'node:fs';
import Dockerode from 'dockerode';
import { exploreImage } from '../electron/core/insight/layers';

const image = process.argv[2];
if (!image) throw new Error('usage: layers-probe.ts IMAGE');
const engine = { docker: new Dockerode(), endpoint: 'unix:///var/run/docker.sock' };
const kib = (field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) * 1024;

let heapPeak = 0;
const sampler = setInterval(() => {
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
}, 10);
const rssAtStart = kib('VmRSS');
const started = performance.now();
let firstLayerMs = Number.NaN;
const explored = await exploreImage(engine, image, {
  onLayerListed: () => {
    if (Number.isNaN(firstLayerMs)) firstLayerMs = performance.now() - started;
  },
});
const totalMs = performance.now() - started;
clearInterval(sampler);
console.log(
  JSON.stringify({
    firstLayerMs,
    totalMs,
    rssAtStart,
    peakRss: kib('VmHWM'),
    heapPeak,
    diffIds: explored.layers.map((l) => l.diffId),
    storedBytes: explored.layers.reduce((sum, l) => sum + l.storedBytes, 0),
    files: explored.layers.map((l) => l.tree.kinds.split('').filter((k) => k === 'f').length),
    size: explored.size,
  }),
);
