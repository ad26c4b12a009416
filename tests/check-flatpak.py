#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifests offline (TAP output).

Usage: check-flatpak.py FLATPAK_BUILDER MANIFEST_DIR APP_ID

flatpak-builder --show-manifest parses each manifest the way a real build would
and must print no warning. Then the sandbox is held to the permissions the app
needs: network for REST, Wayland with X11 as fallback, and no host files
(libsecret reaches the keyring through the Secret portal, which needs no
permission of its own).
"""

import json
import os
import subprocess
import sys

REQUIRED_ARGS = ["--share=network", "--socket=wayland", "--socket=fallback-x11"]
ALLOWED_ARGS = REQUIRED_ARGS + ["--share=ipc", "--device=dri"]


def check(flatpak_builder, path, app_id, devel):
    """Returns a list of (name, problems) pairs for one manifest."""
    results = []
    proc = subprocess.run([flatpak_builder, "--show-manifest", path],
                          capture_output=True, text=True, check=False)
    problems = []
    if proc.returncode != 0:
        problems.append("flatpak-builder exited with %d" % proc.returncode)
    problems += ["flatpak-builder: " + line for line in proc.stderr.splitlines() if line.strip()]
    results.append(("show-manifest", problems))

    problems = []
    try:
        manifest = json.loads(proc.stdout)
    except ValueError as error:
        results.append(("parsed", ["--show-manifest printed no JSON: %s" % error]))
        return results

    if manifest.get("id") != app_id:
        problems.append("id is %r, wanted %r" % (manifest.get("id"), app_id))
    if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
        problems.append("runtime and sdk must be org.gnome.Platform and org.gnome.Sdk")
    if manifest.get("command") != "agora-keys":
        problems.append("command is %r, wanted 'agora-keys'" % manifest.get("command"))
    results.append(("identity", problems))

    args = manifest.get("finish-args", [])
    problems = ["missing finish-arg " + a for a in REQUIRED_ARGS if a not in args]
    problems += ["finish-arg %s grants more than the app needs" % a
                 for a in args if a not in ALLOWED_ARGS]
    results.append(("permissions", problems))

    problems = []
    modules = manifest.get("modules", [])
    app = modules[-1] if modules and isinstance(modules[-1], dict) else {}
    if app.get("buildsystem") != "meson":
        problems.append("the last module must build agora-keys with meson")
    sources = app.get("sources", [])
    if not any(s.get("type") == "dir" and s.get("path") == ".." for s in sources):
        problems.append("the app module must build this checkout (a dir source at '..')")
    opts = app.get("config-opts", [])
    if devel:
        if "-Ddevelopment=true" not in opts:
            problems.append("the .Devel manifest must configure with -Ddevelopment=true")
        if app.get("run-tests") is not True:
            problems.append("the .Devel manifest must run the tests")
    elif "-Ddevelopment=true" in opts:
        problems.append("the release manifest must not build the development profile")
    results.append(("module", problems))
    return results


def main():
    flatpak_builder, manifest_dir, app_id = sys.argv[1:4]
    if not flatpak_builder:
        print("1..0 # SKIP flatpak-builder is not installed")
        return 0
    results = []
    for manifest_id, devel in [(app_id, False), (app_id + ".Devel", True)]:
        path = os.path.join(manifest_dir, manifest_id + ".json")
        results += [(manifest_id + "/" + name, problems)
                    for name, problems in check(flatpak_builder, path, manifest_id, devel)]
    print("1..%d" % len(results))
    for number, (name, problems) in enumerate(results, 1):
        print("%s %d /ak/flatpak/%s" % ("not ok" if problems else "ok", number, name))
        for problem in problems:
            print("# " + problem)
    return 1 if any(problems for _, problems in results) else 0


if __name__ == "__main__":
    sys.exit(main())
