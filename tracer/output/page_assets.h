/*
 * page_assets.h - the page's script and styles, from tracer/output/page/
 * (page.js, page.css, picture.css), built into ./trace by the Makefile
 * (embed.sh): the page and the SVG need no file beside them.
 */
#ifndef TRACELAB_PAGE_ASSETS_H
#define TRACELAB_PAGE_ASSETS_H

extern const char page_js[], page_css[], picture_css[];

#endif
