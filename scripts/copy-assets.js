#!/usr/bin/env node
// Copies the files tsc does not emit (the agent console's and the web widget's static pages) next to the compiled code,
// so `dist/emulator/console/` exists when the emulator runs from dist.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const assets = [['src/emulator/console', 'dist/emulator/console'], ['src/emulator/widget', 'dist/emulator/widget']];

for (const [from, to] of assets) {
  const src = path.join(root, from);
  if (!fs.existsSync(src)) continue;
  fs.rmSync(path.join(root, to), { recursive: true, force: true });
  fs.cpSync(src, path.join(root, to), { recursive: true });
}
