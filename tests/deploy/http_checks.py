#!/usr/bin/env python3
"""Real HTTP checks against the nginx that serves dist/ (started by nginx-up.sh).

    python3 tests/deploy/http_checks.py BASE_URL DIST_DIR [--image]

DIST_DIR is the directory nginx serves, so every file in it is checked against what
nginx returns. The caller adds two fixtures to it (a dotfile `.env` and a directory
`fixture-dir/` holding a file) to check that dotfiles are denied and directories are not
listed. Prints one `PASS name` or `FAIL name: why` line per check, and exits non-zero
if any failed. With --image, nginx serves a copy of DIST_DIR baked into a container
image (tests/container/run.sh): the fixtures are not there and model.json cannot be
added, so the checks that need them are left out (the absent model.json's 204 stays).
Python standard library only: http.client returns the bytes as sent
(no transparent decompression), which is what the gzip checks need.
"""

import gzip
import http.client
import json
import pathlib
import re
import sys
import tomllib
import urllib.parse

HASHED = re.compile(r"-[0-9a-f]{12,16}(_bg)?\.(js|wasm|css|bin|png)$")
IMMUTABLE = "public, max-age=31536000, immutable"
MIME = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".css": "text/css",
    ".wasm": "application/wasm",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain",
    ".bin": "application/octet-stream",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": None,  # checked in detail on the page
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": None,
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
NONCE_ATTR = re.compile(r'nonce="([^"]*)"')


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        return self.headers.get(name.lower())

    def mime(self):
        return (self.header("Content-Type") or "").split(";")[0].strip()


class Checks:
    def __init__(self, base):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port
        self.passed = 0
        self.failed = 0

    def get(self, path, method="GET", gzip_ok=False, body=None, headers=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        headers = dict(headers or {})
        if gzip_ok:
            headers["Accept-Encoding"] = "gzip"
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        # Header names are case-insensitive; repeated headers are joined (a duplicate
        # security header would show as "a, b" and fail the exact-value checks).
        headers = {}
        for k, v in r.getheaders():
            k = k.lower()
            headers[k] = f"{headers[k]}, {v}" if k in headers else v
        body = r.read()
        conn.close()
        return Response(r.status, headers, body)

    def check(self, name, ok, why=""):
        if ok:
            self.passed += 1
            print(f"PASS {name}")
        else:
            self.failed += 1
            print(f"FAIL {name}: {why}")
        return ok


def csp_directives(csp):
    out = {}
    for part in (csp or "").split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def check_security_headers(c, what, r):
    missing = [h for h in SECURITY_HEADERS if r.header(h) is None]
    wrong = [
        f"{h}: {r.header(h)!r}"
        for h, want in SECURITY_HEADERS.items()
        if want is not None and r.header(h) not in (None, want)
    ]
    perms = r.header("Permissions-Policy") or ""
    if "camera=(self)" not in perms:
        wrong.append(f"Permissions-Policy lacks camera=(self): {perms!r}")
    csp = csp_directives(r.header("Content-Security-Policy"))
    if csp.get("frame-ancestors") != ["'none'"] or csp.get("connect-src") != ["'self'"]:
        wrong.append("CSP lacks frame-ancestors 'none' / connect-src 'self'")
    c.check(
        f"security headers on {what}",
        not missing and not wrong,
        f"missing {missing}, wrong {wrong}",
    )


def check_page(c, path, dist):
    """The SPA page (index.html, the fallback): nonce substituted, CSP, no-cache."""
    r = c.get(path)
    c.check(f"{path} is 200 text/html", r.status == 200 and r.mime() == "text/html",
            f"{r.status} {r.header('Content-Type')}")
    c.check(f"{path} Cache-Control no-cache", r.header("Cache-Control") == "no-cache",
            repr(r.header("Cache-Control")))
    html = r.body.decode("utf-8", "replace")
    index = (dist / "index.html").read_text(encoding="utf-8")
    c.check(f"{path} is the app's index.html",
            NONCE_ATTR.sub("", html) == NONCE_ATTR.sub("", index),
            "body differs from dist/index.html beyond the nonces")
    csp = csp_directives(r.header("Content-Security-Policy"))
    script_src = csp.get("script-src", [])
    nonces = [s[len("'nonce-"):-1] for s in script_src if s.startswith("'nonce-")]
    in_html = set(NONCE_ATTR.findall(html))
    c.check(f"{path} placeholder replaced", "__TRUNK NONCE__" not in html,
            "{{__TRUNK NONCE__}} still in the page")
    c.check(
        f"{path} CSP nonce equals the page's nonce",
        len(nonces) == 1 and in_html == {nonces[0]} and re.fullmatch(r"[0-9a-f]{32}", nonces[0]),
        f"CSP nonces {nonces}, page nonces {sorted(in_html)}",
    )
    c.check(
        f"{path} script-src strict",
        "'wasm-unsafe-eval'" in script_src
        and "'unsafe-eval'" not in script_src
        and "'unsafe-inline'" not in script_src
        and not any(s in script_src for s in ("*", "data:", "blob:", "http:", "https:")),
        f"script-src {script_src}",
    )
    c.check(f"{path} CSP allows the manifest: manifest-src 'self'", csp.get("manifest-src") == ["'self'"],
            repr(csp.get("manifest-src")))
    c.check(f"{path} default-src 'none', object-src 'none', base-uri 'none'",
            csp.get("default-src") == ["'none'"] and csp.get("object-src") == ["'none'"]
            and csp.get("base-uri") == ["'none'"], repr(csp))
    check_security_headers(c, path, r)
    return nonces[0] if nonces else None


def check_dev_server_csp(c, served):
    """`trunk serve` (scripts/serve.sh) sends Trunk.toml's [serve] csp: it must be the
    policy nginx sends, or the page would run under other rules in development (or, as
    with Trunk's default policy, not start at all)."""
    trunk = tomllib.loads((pathlib.Path(__file__).parents[2] / "Trunk.toml").read_text(encoding="utf-8"))
    dev = ";".join(trunk.get("serve", {}).get("csp", []))
    nonce = re.compile(r"'nonce-[^']*'")
    want = csp_directives(nonce.sub("'nonce-N'", served or ""))
    got = csp_directives(nonce.sub("'nonce-N'", dev))
    c.check("Trunk.toml [serve] csp is nginx's Content-Security-Policy", got == want and "{{NONCE}}" in dev,
            f"Trunk.toml {got}, nginx {want}")


def check_server_model(c, root, writable=True):
    """The deployment's optional model.json beside index.html (docs/deploy.md, "A custom
    model from the cluster"): 204 No Content while there is none (the page then uses
    the built-in model; a 404 would be a console error on every start), then, once
    there is one, served as JSON with no-cache and revalidated by ETag. The
    page's side of the three cases (absent, valid, invalid) is tests/e2e/cluster-model.test.mjs."""
    r = c.get("/model.json")
    c.check("no model.json: /model.json -> 204, empty, no-cache, not the page",
            r.status == 204 and r.body == b"" and r.header("Cache-Control") == "no-cache",
            f"{r.status} {r.header('Content-Type')} {r.header('Cache-Control')} {r.body[:40]!r}")
    check_security_headers(c, "/model.json (absent)", r)
    if not writable:
        return
    model = (pathlib.Path(__file__).resolve().parents[2] / "model/daynight.json").read_bytes()
    served = root / "model.json"
    served.write_bytes(model)
    try:
        r = c.get("/model.json")
        c.check("model.json present: 200 application/json, the file, Cache-Control no-cache",
                r.status == 200 and r.mime() == "application/json" and r.body == model
                and r.header("Cache-Control") == "no-cache",
                f"{r.status} {r.header('Content-Type')} {r.header('Cache-Control')}")
        check_security_headers(c, "/model.json", r)
        etag = r.header("ETag")
        conn = http.client.HTTPConnection(c.host, c.port, timeout=10)
        conn.request("GET", "/model.json", headers={"If-None-Match": etag or ""})
        status = conn.getresponse().status
        conn.close()
        c.check("model.json revalidates (ETag, 304 when unchanged)", etag is not None and status == 304,
                f"ETag {etag!r}, conditional GET {status}")
        rz = c.get("/model.json", gzip_ok=True)
        c.check("model.json gzip on the fly", rz.header("Content-Encoding") == "gzip"
                and gzip.decompress(rz.body) == model, repr(rz.header("Content-Encoding")))
    finally:
        served.unlink()


def links(html, rel):
    """The href of every <link rel=REL> (quoted or not, in any order: Trunk minifies)."""
    out = []
    for tag in re.findall(r"<link\b[^>]*>", html):
        attrs = {k: v.strip('"') for k, v in re.findall(r'([\w-]+)=("[^"]*"|[^\s>]+)', tag)}
        if rel in attrs.get("rel", "").split():
            out.append(attrs.get("href", ""))
    return out


def check_manifest(c, dist):
    """The web app manifest (web/manifest.webmanifest): a stable name the page links to,
    served as application/manifest+json and revalidated on every load (no-cache: it
    names the build's icons); its icons are content-hashed PNGs, cached for a year."""
    index = (dist / "index.html").read_text(encoding="utf-8")
    c.check("index.html links ./manifest.webmanifest", links(index, "manifest") == ["./manifest.webmanifest"],
            f"<link rel=manifest> {links(index, 'manifest')}")
    r = c.get("/manifest.webmanifest")
    c.check("manifest.webmanifest 200 application/manifest+json, no-cache",
            r.status == 200 and r.mime() == "application/manifest+json" and r.header("Cache-Control") == "no-cache",
            f"{r.status} {r.header('Content-Type')} {r.header('Cache-Control')}")
    check_security_headers(c, "/manifest.webmanifest", r)
    try:
        manifest = json.loads(r.body)
    except ValueError as e:
        c.check("manifest.webmanifest is JSON", False, str(e))
        return
    c.check("manifest start_url and scope are relative ('./')",
            manifest.get("start_url") == "./" and manifest.get("scope") == "./",
            f"start_url {manifest.get('start_url')!r}, scope {manifest.get('scope')!r}")
    icons = [i.get("src", "") for i in manifest.get("icons", [])]
    apple = links(index, "apple-touch-icon")
    c.check("manifest and page name hashed icons", icons and apple
            and all(HASHED.search(src) for src in icons + apple), f"icons {icons}, apple-touch-icon {apple}")
    for src in icons + apple:
        rp = c.get("/" + src.removeprefix("./"))
        c.check(f"icon {src} 200 image/png, immutable",
                rp.status == 200 and rp.mime() == "image/png" and rp.header("Cache-Control") == IMMUTABLE
                and rp.body[:8] == b"\x89PNG\r\n\x1a\n",
                f"{rp.status} {rp.header('Content-Type')} {rp.header('Cache-Control')}")
    rz = c.get("/manifest.webmanifest", gzip_ok=True)
    c.check("manifest.webmanifest served gzip", rz.header("Content-Encoding") == "gzip"
            and gzip.decompress(rz.body) == r.body, repr(rz.header("Content-Encoding")))


def check_share_target(c):
    """The manifest's share target is answered by the service worker on the device.
    A share that reaches nginx (no service worker yet) must not end on an error page:
    a 303 (the browser follows with a GET) to the page with ?shared=lost, for a small
    body and for one over client_max_body_size (refused unread), never a 2xx."""
    boundary = "daynightboundary"
    for what, size in (("a small share", 100), ("a photo-sized share", 3_000_000)):
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"a.jpg\"\r\n"
                f"Content-Type: image/jpeg\r\n\r\n").encode() + b"\xff" * size + f"\r\n--{boundary}--\r\n".encode()
        try:
            r = c.get("/share-target", method="POST", body=body,
                      headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        except OSError as e:  # nginx may close the connection before all of a large body is sent
            c.check(f"POST /share-target ({what}) -> 303 ./?shared=lost", False, repr(e))
            continue
        c.check(f"POST /share-target ({what}) -> 303 ./?shared=lost",
                r.status == 303 and r.header("Location") == "./?shared=lost",
                f"{r.status} Location {r.header('Location')!r}")
    check_security_headers(c, "the share target's redirect", r)


def main():
    base, dist = sys.argv[1], pathlib.Path(sys.argv[2])
    image = sys.argv[3:] == ["--image"]
    c = Checks(base)

    # --- health ---
    r = c.get("/healthz")
    c.check("/healthz 200 text/plain", r.status == 200 and r.mime() == "text/plain"
            and r.body == b"ok\n", f"{r.status} {r.header('Content-Type')} {r.body[:40]!r}")
    check_security_headers(c, "/healthz", r)
    server = r.header("Server") or ""
    c.check("Server header has no version", not re.search(r"[0-9/]", server), repr(server))

    # --- the page, its nonce, fallback ---
    n1 = check_page(c, "/", dist)
    n2 = check_page(c, "/index.html", dist)
    c.check("nonce differs between two requests", n1 and n2 and n1 != n2, f"{n1} {n2}")
    check_dev_server_csp(c, c.get("/").header("Content-Security-Policy"))
    for route in ("/some/route", "/classify/", "/a.b/route"):
        r = c.get(route)
        c.check(f"SPA fallback {route} -> index.html 200",
                r.status == 200 and r.mime() == "text/html" and b"<script" in r.body
                and r.header("Cache-Control") == "no-cache",
                f"{r.status} {r.header('Content-Type')} {r.header('Cache-Control')}")
    r = c.get("/", gzip_ok=True)
    c.check("index.html gzip on the fly with the nonce substituted",
            r.header("Content-Encoding") == "gzip"
            and b"__TRUNK NONCE__" not in gzip.decompress(r.body)
            and b'nonce="' in gzip.decompress(r.body),
            f"Content-Encoding {r.header('Content-Encoding')}")

    # --- every file of dist/ ---
    files = sorted(
        p for p in dist.rglob("*")
        if p.is_file() and not p.name.endswith(".gz")
        and not any(part.startswith(".") for part in p.relative_to(dist).parts)
        and p.name != "index.html" and p.parts[-2:-1] != ("fixture-dir",)
    )
    kinds = {ext: [p for p in files if p.suffix == ext and HASHED.search(p.name)]
             for ext in (".js", ".wasm", ".css")}
    c.check("dist has hashed .js, .wasm and .css", all(kinds.values()),
            f"found {[(k, len(v)) for k, v in kinds.items()]}")
    checked_headers_on_asset = False
    for p in files:
        path = "/" + p.relative_to(dist).as_posix()
        r = c.get(path)
        want_mime = MIME.get(p.suffix)
        c.check(f"{path} 200 {want_mime}",
                r.status == 200 and (want_mime is None or r.mime() == want_mime),
                f"{r.status} {r.header('Content-Type')}")
        c.check(f"{path} body is the file", r.body == p.read_bytes(), "bytes differ")
        want_cache = IMMUTABLE if HASHED.search(p.name) else "no-cache"
        c.check(f"{path} Cache-Control {want_cache}", r.header("Cache-Control") == want_cache,
                repr(r.header("Cache-Control")))
        if p.suffix == ".wasm":
            c.check(f"{path} is wasm", r.body[:4] == b"\0asm", repr(r.body[:4]))
        gz = p.with_name(p.name + ".gz")
        if gz.exists():
            rz = c.get(path, gzip_ok=True)
            c.check(f"{path} served precompressed ({gz.name})",
                    rz.status == 200 and rz.header("Content-Encoding") == "gzip"
                    and rz.body == gz.read_bytes() and "Accept-Encoding" in (rz.header("Vary") or ""),
                    f"{rz.status} Content-Encoding {rz.header('Content-Encoding')}, "
                    f"Vary {rz.header('Vary')}, body {'equals' if rz.body == gz.read_bytes() else 'differs from'} the .gz")
        if HASHED.search(p.name) and not checked_headers_on_asset:
            check_security_headers(c, path, r)
            checked_headers_on_asset = True
    wasm = kinds[".wasm"][0] if kinds[".wasm"] else None
    if wasm:
        r = c.get("/" + wasm.relative_to(dist).as_posix(), method="HEAD")
        c.check("HEAD on the wasm 200 application/wasm",
                r.status == 200 and r.mime() == "application/wasm", f"{r.status} {r.mime()}")

    # --- missing files: 404, never HTML, never cached for a year ---
    for path in ("/nope-0123456789abcdef.js", "/nope-0123456789abcdef_bg.wasm",
                 "/nope-0123456789abcdef.css", "/some/route/app.js", "/favicon.ico"):
        r = c.get(path)
        c.check(f"missing {path} -> 404 not HTML",
                r.status == 404 and r.mime() != "text/html" and not r.body.lstrip().startswith(b"<")
                and "immutable" not in (r.header("Cache-Control") or ""),
                f"{r.status} {r.header('Content-Type')} {r.header('Cache-Control')} {r.body[:40]!r}")
    check_security_headers(c, "a 404", c.get("/nope-0123456789abcdef.js"))

    # --- dotfiles and directories ---
    for path in ("/.env", "/.git/config", "/fixture-dir/.env", "/.well-known/x"):
        r = c.get(path)
        c.check(f"dotfile {path} denied", r.status in (403, 404) and b"SECRET" not in r.body,
                f"{r.status} {r.body[:40]!r}")
    for path in ("/fixture-dir/", "/fixture-dir"):
        r = c.get(path)
        c.check(f"no directory listing at {path}",
                b"Index of" not in r.body and b"file.txt" not in r.body and r.status in (200, 403, 404),
                f"{r.status} {r.body[:80]!r}")
    if not image:
        r = c.get("/fixture-dir/file.txt")
        c.check("a file in a directory is served", r.status == 200 and r.mime() == "text/plain",
                f"{r.status} {r.header('Content-Type')}")

    check_server_model(c, dist, writable=not image)
    check_manifest(c, dist)
    check_share_target(c)

    print(f"(http_checks: {c.passed} of {c.passed + c.failed} checks passed)", file=sys.stderr)
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
