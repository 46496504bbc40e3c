"""The headless-Chromium helper (tests/chromium.py) can fail: it sees a
page's console errors, runs a probe, and tells a blank screenshot from a
drawn one. Made-up pages, so these do not depend on the tracer."""

import chromium

BLANK = "<!doctype html><html><body style='background:#fff'></body></html>"
DRAWN = ("<!doctype html><html><body style='background:#fff;margin:0'>"
         "<div style='width:300px;height:200px;background:#c00'></div></body></html>")
BROKEN = ("<!doctype html><html><body><p id=p>before</p><script>"
          "document.getElementById('p').textContent='after'; notAFunction();"
          "</script></body></html>")


def page(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_dom_after_scripts_and_console_errors(tmp_path):
    got = chromium.load(page(tmp_path, "broken.html", BROKEN))
    assert '<p id="p">after</p>' in got.dom
    assert any("notAFunction is not defined" in line for line in got.console), got.console


def test_a_quiet_page_prints_nothing(tmp_path):
    assert chromium.load(page(tmp_path, "blank.html", BLANK)).console == []


def test_probe_reads_the_page(tmp_path):
    got = chromium.load(page(tmp_path, "drawn.html", DRAWN),
                        probe="return document.querySelectorAll('div').length + ' div & <ok>';")
    assert got.probe == "1 div & <ok>"


def test_screenshot_blank_and_drawn(tmp_path):
    blank, blank_colours = chromium.ink(chromium.screenshot(page(tmp_path, "b.html", BLANK), 400, 300))
    drawn, _ = chromium.ink(chromium.screenshot(page(tmp_path, "d.html", DRAWN), 400, 300))
    assert blank == 0 and blank_colours == 1
    assert abs(drawn - (300 * 200) / (400 * 300)) < 0.02, drawn
