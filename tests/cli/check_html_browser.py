#!/usr/bin/env python3
"""Loads the HTML report in a real headless browser and checks it.

Writes the Northvale example's report (with its waivers) and a small multi-file one, opens each in
Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: no port, nothing
listening), and checks that the page
  - loads, with no console message of level error and no uncaught exception;
  - makes no network request at all (the only URL it loads is its own file);
  - has its inline SVG chart laid out (bars with a width), every finding, and the waivers;
then saves a full-page screenshot (1280 wide) next to the report, for a person to look at.

usage: tests/cli/check_html_browser.py JOINUP_BINARY [OUT_DIR]
Exit code 0 when every check passed, 1 when one failed, 77 (skipped) when no Chromium is installed,
2 when the check could not run. JOINUP_CHROMIUM names the browser binary if it is not on PATH.
"""
import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SKIP = 77


def find_browser():
    named = os.environ.get("JOINUP_CHROMIUM")
    if named:
        return named if shutil.which(named) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """Chromium driven over --remote-debugging-pipe: JSON messages ending in NUL on fds 3 and 4."""

    def __init__(self, binary, profile):
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()

        def fds():
            # Move both out of the way first: either may itself be fd 3 or 4.
            r, w = os.dup(to_child_r), os.dup(from_child_w)
            r, w = os.dup2(r, 100), os.dup2(w, 101)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--mute-audio", f"--user-data-dir={profile}", "--remote-debugging-pipe",
             "about:blank"],
            # dup2 in the child leaves fds 3 and 4 inheritable; close_fds would close them again.
            close_fds=False, preexec_fn=fds, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_child, json.dumps(msg).encode() + b"\0")
        return self.next_id

    def read(self, timeout):
        deadline = time.time() + timeout
        while b"\0" not in self.buffer:
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError("no answer from the browser")
            ready, _, _ = select.select([self.from_child], [], [], left)
            if ready:
                chunk = os.read(self.from_child, 1 << 20)
                if not chunk:
                    raise EOFError("the browser closed its pipe")
                self.buffer += chunk
        msg, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None, timeout=30):
        want = self.send(method, params, session)
        while True:
            msg = self.read(timeout)
            if msg.get("id") == want:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_for(self, method, timeout=30):
        for i, e in enumerate(self.events):
            if e.get("method") == method:
                return self.events.pop(i)
        deadline = time.time() + timeout
        while True:
            msg = self.read(max(0.1, deadline - time.time()))
            if msg.get("method") == method:
                return msg
            self.events.append(msg)

    def drain(self, seconds):
        deadline = time.time() + seconds
        try:
            while time.time() < deadline:
                self.events.append(self.read(max(0.05, deadline - time.time())))
        except TimeoutError:
            pass

    def close(self):
        try:
            self.send("Browser.close")
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.to_child, self.from_child):
            try:
                os.close(fd)
            except OSError:
                pass


failures = 0
passed = 0


def check(cond, what):
    global failures, passed
    if cond:
        passed += 1
        print(f"ok   {what}")
    else:
        failures += 1
        print(f"FAIL {what}")


def inspect(browser, page: Path, screenshot: Path, expect_texts):
    target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Network", "Runtime", "Log", "Page"):
        browser.call(f"{domain}.enable", session=session)
    browser.call("Emulation.setDeviceMetricsOverride",
                 {"width": 1280, "height": 2000, "deviceScaleFactor": 1, "mobile": False}, session=session)
    url = page.resolve().as_uri()
    browser.events.clear()
    browser.call("Page.navigate", {"url": url}, session=session)
    browser.wait_for("Page.loadEventFired")
    browser.drain(1.0)  # late requests and messages

    requests = [e["params"]["request"]["url"] for e in browser.events if e.get("method") == "Network.requestWillBeSent"]
    others = [u for u in requests if u != url and not u.startswith("data:")]
    check(url in requests, f"{page.name}: the page itself loads")
    check(not others, f"{page.name}: no network request ({others[:3]})")
    errors = [e["params"]["entry"]["text"] for e in browser.events
              if e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error"]
    errors += [str(e["params"]["args"]) for e in browser.events
               if e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert")]
    errors += [e["params"]["exceptionDetails"].get("text", "") for e in browser.events
               if e.get("method") == "Runtime.exceptionThrown"]
    check(not errors, f"{page.name}: no console errors ({errors[:3]})")

    probe = """JSON.stringify({
      bars: [...document.querySelectorAll('svg.chart rect')].filter(r => r.getBBox().width > 0).length,
      svgWidth: document.querySelector('svg.chart') ? document.querySelector('svg.chart').getBoundingClientRect().width : 0,
      findings: document.querySelectorAll('.finding').length,
      text: document.body.innerText,
      height: document.documentElement.scrollHeight,
      scripts: document.scripts.length
    })"""
    got = json.loads(browser.call("Runtime.evaluate", {"expression": probe, "returnByValue": True},
                                  session=session)["result"]["value"])
    check(got["bars"] > 0 and got["svgWidth"] > 300, f"{page.name}: the SVG chart is drawn ({got['bars']} bars)")
    check(got["scripts"] == 0, f"{page.name}: no scripts")
    for text, what in expect_texts:
        check(text in got["text"], f"{page.name}: shows {what}")
    shot = browser.call("Page.captureScreenshot",
                        {"format": "png", "captureBeyondViewport": True,
                         "clip": {"x": 0, "y": 0, "width": 1280, "height": min(got["height"], 16000), "scale": 1}},
                        session=session, timeout=60)
    screenshot.write_bytes(base64.b64decode(shot["data"]))
    check(screenshot.stat().st_size > 10000, f"{page.name}: screenshot {screenshot}")
    browser.call("Target.closeTarget", {"targetId": target})
    return got


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = str(Path(sys.argv[1]).resolve())
    browser_bin = find_browser()
    if not browser_bin:
        print("html browser check: skipped: no Chromium installed (apt-get install chromium)")
        return SKIP
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp(prefix="joinup-html-"))
    out.mkdir(parents=True, exist_ok=True)

    northvale = out / "northvale.html"
    p = subprocess.run([binary, "check", "--format", "html", "--as-of", "2026-11-21", "--output", str(northvale),
                        "--waivers", "examples/partnerships/northvale-waivers.yaml",
                        "examples/partnerships/northvale-midway.yaml"], cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0 or p.stderr:  # its one error is waived
        print(f"FAIL the Northvale report: exit code {p.returncode}, stderr: {p.stderr}")
        return 1
    several = out / "several.html"
    p = subprocess.run([binary, "check", "--format", "html", "--as-of", "2027-01-01", "--output", str(several),
                        "--rules", "cases/rules", "--waivers", "cases/waivers/error-only-scoped.yaml",
                        "cases/data/plan.yaml", "cases/data/clean.yaml", "cases/data/undetermined.yaml"],
                       cwd=HERE, capture_output=True, text=True)
    if p.returncode != 1 or p.stderr:
        print(f"FAIL the multi-file report: exit code {p.returncode}, stderr: {p.stderr}")
        return 1

    with tempfile.TemporaryDirectory(prefix="joinup-chromium-") as profile:
        browser = Browser(browser_bin, profile)
        try:
            inspect(browser, northvale, out / "northvale.png", [
                ("Karen Whiteley left a senior post", "a finding's message"),
                ("Interim cover while the Joint Director of Finance", "a waiver's reason"),
                ("Give people with lived experience seats", "a remedy"),
                ("Outcomes by theme", "the chart's heading"),
                ("Waivers", "the waivers"),
            ])
            inspect(browser, several, out / "several.png", [
                ("cases/data/clean.yaml", "every file"),
                ("Waiver expired", "an expired waiver on its finding"),
                ("expired waiver", "the expired waiver in the waivers table"),
                ("undetermined", "an undetermined finding"),
            ])
        except (TimeoutError, EOFError, RuntimeError, OSError) as e:
            err = browser.proc.stderr.read().decode(errors="replace")[-2000:] if browser.proc.poll() is not None else ""
            print(f"FAIL the browser: {e}\n{err}")
            return 1
        finally:
            browser.close()
    print(f"screenshots and pages in {out}")
    print(f"{passed} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
