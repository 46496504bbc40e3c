/* page.js - what the page (out_html.c) does in the browser: the panel
 * shows the timeline line of what the pointer is on (a click keeps it);
 * the wheel zooms the time axis around the pointer, a drag pans it, a
 * double click shows the whole run again. The view is in the address
 * (#t=0.25-0.3, in seconds), so that a zoomed view can be kept or given
 * to someone, and a page opened with one starts there. Everything timed in the SVG
 * carries its times in ns (data-t0, data-t1; an arrow's segments in
 * data-d), so a zoom moves x and widths only: text keeps its size.
 * Built into ./trace by embed.sh: the page loads nothing. */
(function () {
  'use strict';
  var svg = document.querySelector('#view svg.picture');
  var line = document.getElementById('line');
  var pinned = null;

  function titleOf(el) {
    for (; el && el.nodeType === 1; el = el.parentNode) {
      for (var c = el.firstChild; c; c = c.nextSibling)
        if (c.nodeName === 'title') return { el: el, text: c.textContent };
      if (el.tagName === 'svg') break;
    }
    return null;
  }
  function show(found) { line.textContent = found ? found.text : ''; }
  function pick(found) {
    if (pinned) pinned.el.classList.remove('picked');
    pinned = found;
    if (pinned) pinned.el.classList.add('picked');
    show(pinned);
  }
  document.addEventListener('mouseover', function (e) {
    var found = titleOf(e.target);
    if (found && !pinned) show(found);
  });
  document.addEventListener('click', function (e) {
    if (dragged) return;
    var found = titleOf(e.target);
    pick(found && (!pinned || pinned.el !== found.el) ? found : null);
  });

  if (!svg) return;
  var plotX = +svg.getAttribute('data-plot-x'), plotW = +svg.getAttribute('data-plot-w');
  var tEnd = Math.max(+svg.getAttribute('data-t-end'), 1);
  var view = { t0: 0, t1: tEnd };
  var MIN_SPAN = 1000, CHAR_PX = 6.6, TICK_MIN_PX = 90, MERGE_WORDS_PX = 110, MERGE_CHAR_PX = 6.0;   /* as out_svg.c, svg_arrows.c */
  /* The words this script writes, in the page's language (out_html.c puts them in). */
  var wordsEl = document.getElementById('page-words');
  var words = wordsEl ? JSON.parse(wordsEl.textContent) : {};
  function fill(format, values) {   /* "%s min %s s": each %s in turn */
    var parts = format.split('%s'), out = parts[0];
    for (var i = 1; i < parts.length; i++) out += (i <= values.length ? values[i - 1] : '') + parts[i];
    return out;
  }

  var timed = Array.prototype.map.call(svg.querySelectorAll('[data-t0]'), function (el) {
    return { el: el, t0: +el.getAttribute('data-t0'), t1: +el.getAttribute('data-t1'),
             text: el.tagName === 'text', mark: el.classList.contains('exec'),
             chars: el.textContent.length };
  });
  var paths = Array.prototype.map.call(svg.querySelectorAll('[data-d]'), function (el) {
    return { el: el, segs: el.getAttribute('data-d').split(';').map(function (s) {
      return s.split(' ').map(Number); }) };
  });
  var axis = document.getElementById('axis');
  var axisY = +axis.getAttribute('data-y'), axisH = +axis.getAttribute('data-h');

  function X(t) { return plotX + (t - view.t0) * plotW / (view.t1 - view.t0); }

  /* The same ticks as out_svg.c draws: 1, 2 or 5 times a power of ten ns. */
  function tickStep(span) {
    for (var p = 1000; ; p *= 10)
      for (var m of [1, 2, 5])
        if (p * m * plotW / span >= TICK_MIN_PX) return p * m;
  }
  function timeWords(t, step) {
    var unit = step >= 1e8 ? [1e9, 's'] : step >= 1e5 ? [1e6, 'ms'] : [1e3, '\u00b5s'];
    if (unit[0] === 1e9 && t >= 60e9 && step >= 10e9) {
      var s = Math.floor(t / 1e9);
      return fill(words.minutes || '%s min %s s', [String(Math.floor(s / 60)), String(s % 60).padStart(2, '0')]);
    }
    var st = step / unit[0], dec = st >= 1 ? 0 : Math.ceil(-Math.log10(st) - 1e-9);
    var v = (t / unit[0]).toFixed(dec);
    if (v.indexOf('.') >= 0) v = v.replace(/0+$/, '').replace(/\.$/, '');
    return v + ' ' + unit[1];
  }
  var NS = svg.namespaceURI;
  function drawAxis() {
    while (axis.firstChild) axis.removeChild(axis.firstChild);
    var span = view.t1 - view.t0, step = tickStep(span);
    for (var t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) {
      var x = X(t);
      var l = document.createElementNS(NS, 'line');
      l.setAttribute('class', 'tick');
      l.setAttribute('x1', x); l.setAttribute('x2', x);
      l.setAttribute('y1', axisY + 20); l.setAttribute('y2', axisY + axisH);
      axis.appendChild(l);
      var s = document.createElementNS(NS, 'text');
      s.setAttribute('class', 'tick-label');
      s.setAttribute('x', x + 2); s.setAttribute('y', axisY + 16);
      s.textContent = timeWords(t, step);
      axis.appendChild(s);
      if (x + 2 + s.getComputedTextLength() > svg.viewBox.baseVal.width - 2) {   /* the last: left of its tick */
        s.setAttribute('x', x - 2); s.setAttribute('text-anchor', 'end');
      }
    }
  }
  function draw() {
    timed.forEach(function (it) {
      var x0 = X(it.t0), w = X(it.t1) - x0;
      if (it.text && it.t0 === it.t1) {   /* the words of a merged SIGCHLD: beside it, where there is room */
        var left = x0 > plotX + plotW - Math.max(MERGE_WORDS_PX, it.chars * MERGE_CHAR_PX);
        it.el.setAttribute('text-anchor', left ? 'end' : 'start');
        it.el.setAttribute('x', left ? x0 - 4 : x0 + 4);
      } else if (it.text) {
        it.el.setAttribute('x', x0 + 2);
        it.el.style.display = w >= it.chars * CHAR_PX + 4 ? '' : 'none';
      } else if (it.mark) {
        it.el.setAttribute('x', x0 - 1);
      } else {
        it.el.setAttribute('x', x0);
        it.el.setAttribute('width', Math.max(w, 1));
      }
    });
    paths.forEach(function (it) {
      it.el.setAttribute('d', it.segs.map(function (s) {
        return 'M' + X(s[0]).toFixed(1) + ' ' + s[1] + 'L' + X(s[2]).toFixed(1) + ' ' + s[3];
      }).join(''));
    });
    drawAxis();
  }
  function svgX(clientX) {
    var r = svg.getBoundingClientRect();
    return (clientX - r.left) * (+svg.viewBox.baseVal.width || r.width) / r.width;
  }
  function setView(t0, span) {
    span = Math.min(Math.max(span, MIN_SPAN), tEnd * 1.02);
    t0 = Math.min(Math.max(t0, -tEnd * 0.01), tEnd * 1.01 - span);
    view.t0 = t0; view.t1 = t0 + span;
    draw();
    try {
      history.replaceState(null, '', '#t=' + (view.t0 / 1e9).toFixed(9).replace(/\.?0+$/, '') + '-' +
                           (view.t1 / 1e9).toFixed(9).replace(/\.?0+$/, ''));
    } catch (e) { /* a browser that keeps file:// addresses as they are */ }
  }
  svg.addEventListener('wheel', function (e) {
    var x = svgX(e.clientX);
    if (x < plotX) return;
    e.preventDefault();
    var span = view.t1 - view.t0, at = view.t0 + (x - plotX) / plotW * span;
    var ns = span * Math.exp(e.deltaY * 0.002);
    setView(at - (x - plotX) / plotW * Math.min(Math.max(ns, MIN_SPAN), tEnd * 1.02), ns);
  }, { passive: false });
  var drag = null, dragged = false;
  svg.addEventListener('mousedown', function (e) {
    drag = { x: svgX(e.clientX), t0: view.t0 };
    dragged = false;
  });
  window.addEventListener('mousemove', function (e) {
    if (!drag) return;
    var dx = svgX(e.clientX) - drag.x;
    if (Math.abs(dx) > 3) { dragged = true; svg.classList.add('dragging'); }
    if (dragged) setView(drag.t0 - dx * (view.t1 - view.t0) / plotW, view.t1 - view.t0);
  });
  window.addEventListener('mouseup', function () {
    drag = null;
    svg.classList.remove('dragging');
    setTimeout(function () { dragged = false; }, 0);
  });
  svg.addEventListener('dblclick', function () { setView(0, tEnd); });
  function fromAddress() {
    var asked = /^#t=(-?[\d.]+)-([\d.]+)$/.exec(location.hash);
    if (asked && +asked[2] > +asked[1]) setView(asked[1] * 1e9, (asked[2] - asked[1]) * 1e9);
    return !!asked;
  }
  window.addEventListener('hashchange', fromAddress);   /* an address typed or pasted */
  if (!fromAddress()) draw();
})();
