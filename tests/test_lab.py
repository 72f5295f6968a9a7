"""The explorer as a live widget in a real JupyterLab: moving a control changes the Python-side
value, and setting it from Python redraws the widget (anywidget's two-way sync).

Slow (starts JupyterLab and a kernel), so `make test` skips it: run `make test-lab`, which installs
the `lab` extra and sets TCONV_LAB_TEST=1. Uses Debian's Chromium (/usr/bin/chromium) through
Playwright; JupyterLab listens on 127.0.0.1 with a random token; nothing leaves the machine.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("TCONV_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(os.environ.get("TCONV_LAB_TEST") != "1",
                                 reason="JupyterLab test: run `make test-lab` (sets TCONV_LAB_TEST=1)")]

CELLS = [
    'from tconv_lib.explorer import explorer\nw = explorer("ch02")\nw',
    'print("stride from Python:", w.stride)',
    "w.stride = 1",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 serving a folder with one notebook; yields (base URL, token)."""
    if shutil.which("jupyter-lab", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("JupyterLab is not installed: `make test-lab` installs the lab extra")
    root = tmp_path_factory.mktemp("lab")
    notebook = {"cells": [{"cell_type": "code", "execution_count": None, "id": f"cell{i}", "metadata": {},
                           "outputs": [], "source": src} for i, src in enumerate(CELLS)],
                "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                                            "name": "python3"}},
                "nbformat": 4, "nbformat_minor": 5}
    (root / "explorer.ipynb").write_text(json.dumps(notebook))
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(root / ".config"), "JUPYTER_RUNTIME_DIR": str(root / ".runtime"),
           "JUPYTERLAB_WORKSPACES_DIR": str(root / ".workspaces"), "TCONV_DEVICE": "cpu"}
    cmd = [str(Path(sys.executable).with_name("jupyter-lab")), "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.extension_manager=readonly"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")   # containers often run as root
    log = (root / "lab.log").open("w")
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(120):
            if proc.poll() is not None:
                break
            try:
                urllib.request.urlopen(f"{base}api/status?token={token}", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"JupyterLab did not start:\n{(root / 'lab.log').read_text()[-3000:]}")
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_moving_a_control_changes_the_python_value(lab):
    from playwright.sync_api import sync_playwright

    base, token = lab
    external = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})

        def route(r):
            if urlparse(r.request.url).hostname not in ("127.0.0.1", None):
                external.append(r.request.url)
                return r.abort()
            return r.continue_()
        context.route("**/*", route)
        page = context.new_page()
        page.goto(f"{base}lab/tree/explorer.ipynb?token={token}")
        cells = page.locator(".jp-Notebook .jp-Cell")
        cells.nth(len(CELLS) - 1).wait_for(timeout=120_000)
        # the kernel is connected once the status bar reads "Python 3 (ipykernel) | Idle"
        page.get_by_text("| Idle").first.wait_for(timeout=120_000)

        def run(i: int):
            cells.nth(i).locator(".jp-InputArea-editor").click()
            page.keyboard.press("Shift+Enter")
            page.wait_for_function("el => el.querySelector('.jp-InputPrompt').textContent.match(/\\[\\d+\\]/)",
                                   arg=cells.nth(i).element_handle(), timeout=120_000)

        try:
            run(0)
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "jupyterlab-failed.png"))
            raise
        explorer = page.locator(".jp-Notebook .tconv-explorer")
        explorer.first.wait_for(timeout=60_000)
        assert explorer.count() == 1, "JupyterLab should show one live widget, not the static copy as well"
        fill = explorer.locator('[data-cell="output"]').first.evaluate("el => getComputedStyle(el).fill")
        assert fill not in ("rgb(0, 0, 0)", "black"), "the explorer's stylesheet is missing in JupyterLab"
        stride = explorer.get_by_label("stride", exact=True)
        assert stride.input_value() == "2"
        stride.focus()
        page.keyboard.press("ArrowUp")                    # in the browser: stride 2 -> 3
        # the explorer redraws after save_changes() has sent the change, so the kernel gets it before cell 1 runs
        explorer.locator(".tc-layer", has_text="stride=3").wait_for(timeout=30_000)
        run(1)
        out = cells.nth(1).locator(".jp-OutputArea-output")
        out.wait_for(timeout=30_000)
        assert "stride from Python: [3, 3]" in out.inner_text()

        run(2)                                            # in Python: stride 1 -> the widget redraws
        page.wait_for_function("el => el.value === '1'", arg=stride.element_handle(), timeout=30_000)
        panel = explorer.locator('[data-panel="output"]')
        shape = (panel.get_attribute("data-rows"), panel.get_attribute("data-cols"))
        assert shape == ("3", "3"), f"2x2 input, 2x2 kernel, stride 1: a 3x3 output, got {shape}"
        ARTIFACTS.mkdir(exist_ok=True)
        explorer.screenshot(path=str(ARTIFACTS / "explorer-jupyterlab.png"))
        browser.close()
    assert not external, f"JupyterLab page requested other hosts: {external}"
