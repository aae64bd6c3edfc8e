// Bundles the softphone's browser script (with the Twilio Voice SDK) into dist/public, next to
// its page, so that the server serves everything from its own origin: no CDN.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'dist', 'public');
fs.mkdirSync(out, { recursive: true });

esbuild.buildSync({
  entryPoints: [path.join(root, 'src/client/phone/phone.ts')],
  outfile: path.join(out, 'phone.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome100', 'firefox100', 'safari15'],
  legalComments: 'linked',
  logLevel: 'warning',
});
fs.copyFileSync(path.join(root, 'src/client/phone/phone.html'), path.join(out, 'phone.html'));
