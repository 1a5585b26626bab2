#!/usr/bin/env python3
"""Writes the corpus of awkward and hostile image files into this folder.

The files are committed (they are small), so tests need no Python; this script
documents how each was made and can rebuild them: `python3 make.py` (needs Pillow).
Expected outcomes live in expected.json, which the CLI and browser tests both read.
"""
import io, struct, zlib, json
from PIL import Image

def jpeg(img, **kw):
    b = io.BytesIO(); img.save(b, "JPEG", quality=85, **kw); return b.getvalue()

def png(img):
    b = io.BytesIO(); img.save(b, "PNG"); return b.getvalue()

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

def scene(w, h):
    """Blue sky over green ground: a valid day photo to damage."""
    img = Image.new("RGB", (w, h), (110, 160, 235))
    img.paste((90, 110, 60), (0, h // 2, w, h))
    return img

files = {}
files["empty.jpg"] = b""
files["text-named.jpg"] = b"This is a text file that only pretends to be a JPEG.\n"
good_jpeg = jpeg(scene(320, 240))
good_png = png(scene(320, 240))
files["truncated-half.jpg"] = good_jpeg[: len(good_jpeg) // 2]
files["truncated-header.jpg"] = good_jpeg[:120]
files["truncated-half.png"] = good_png[: len(good_png) // 2]
files["truncated-header.png"] = good_png[:40]

# A valid PNG header (correct CRC) claiming 100000×100000, with one tiny IDAT.
sig = b"\x89PNG\r\n\x1a\n"
ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
files["huge-header-100000x100000.png"] = sig + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")

# A real decompression bomb: 1-bit 25000×25000 (625 MP) of zeros, ~80 KB on disk.
w = h = 25000
row = b"\0" + b"\0" * ((w + 7) // 8)
comp = zlib.compressobj(9)
idat = b"".join(comp.compress(row) for _ in range(h)) + comp.flush()
files["bomb-25000x25000.png"] = sig + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0)) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")

files["one-pixel.png"] = png(Image.new("RGB", (1, 1), (20, 20, 30)))
files["wide-20000x10.png"] = png(scene(20000, 10))
files["grayscale.jpg"] = jpeg(scene(320, 240).convert("L"))
files["cmyk.jpg"] = jpeg(scene(320, 240).convert("CMYK"))
files["16-bit.png"] = png(scene(320, 240).convert("L").point(lambda v: v * 256, "I").convert("I;16"))
frames = [scene(160, 120), Image.new("RGB", (160, 120), (5, 5, 10))]
b = io.BytesIO(); frames[0].save(b, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
files["animated.gif"] = b.getvalue()
# An APP1 "Exif" segment whose TIFF header lies about its offsets.
bad_exif = b"Exif\0\0" + b"II*\0" + struct.pack("<I", 0xFFFFFF00) + b"\xff" * 16
j = good_jpeg
files["corrupt-exif.jpg"] = j[:2] + b"\xff\xe1" + struct.pack(">H", len(bad_exif) + 2) + bad_exif + j[2:]
# Sky stored on the left, EXIF orientation 6 (rotate 90° clockwise to view):
# upright, the sky is on top.
stored = Image.new("RGB", (240, 320), (90, 110, 60))
stored.paste((110, 160, 235), (0, 0, 120, 320))
exif = Image.Exif(); exif[0x0112] = 6
files["exif-rotated.jpg"] = jpeg(stored, exif=exif.tobytes())

for name, data in files.items():
    with open(name, "wb") as f:
        f.write(data)
print("\n".join(f"{len(d):>8}  {n}" for n, d in files.items()))
