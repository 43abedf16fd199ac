// Builds ../../assets/20-plotly-bar-heatmap.min.js the way plotly.js builds its own dist
// bundles (node_modules/plotly.js/esbuild-config.js): an IIFE defining window.Plotly, minified,
// es2016, the licence comments of every bundled package kept at the end of the file.
const esbuild = require('esbuild');
const { version } = require('plotly.js/package.json');

const header = `/**
* plotly.js (skillboard: scatter, bar, heatmap - minified) v${version}
* Copyright 2012-2026, Plotly, Inc.
* All rights reserved.
* Licensed under the MIT license
*/
(
 function(root, factory) {
  if (typeof module === "object" && module.exports) {
   module.exports = factory();
  } else {
   root.moduleName = factory();
  }
} (typeof self !== "undefined" ? self : this, () => {
"use strict";`;

esbuild
  .build({
    entryPoints: ['index.js'],
    outfile: '../../assets/20-plotly-bar-heatmap.min.js',
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    legalComments: 'eof',
    target: 'es2016',
    alias: { stream: 'stream-browserify' },
    define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
    // Only map traces load a stylesheet (maplibre's); none is drawn here.
    loader: { '.css': 'empty' },
    banner: { js: header },
    footer: { js: '\nwindow.Plotly = Plotly;\nreturn Plotly;\n}));' },
    logLevel: 'info',
  })
  .catch(() => process.exit(1));
