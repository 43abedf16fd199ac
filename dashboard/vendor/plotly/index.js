'use strict';
// plotly.js core (the scatter trace, layout, legend, annotations, shapes, error bars, colour
// bars, hover, modebar) and the two other trace types dashboard/figures.py draws.
var Plotly = require('plotly.js/lib/core');

Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/heatmap')]);

module.exports = Plotly;
