#!/usr/bin/env python3
"""Writes the corpus of awkward and hostile image files into this folder.

The files are committed (they are small), so tests need no Python; this script
documents how each was made and can rebuild them: `python3 make.py` (needs Pillow,
and for the HEIC and AVIF files Debian's `heif-enc` and `avifenc`, which
scripts/setup.sh installs). Expected outcomes live in expected.json, which the CLI
and browser tests both read.
"""
import io, os, struct, subprocess, tempfile, zlib, json
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

# HEIC (heif-enc: libheif and x265) and AVIF (avifenc: libavif and libaom), made from
# the JPEGs above.
def encode(tool, jpeg_bytes, ext):
    with tempfile.TemporaryDirectory() as d:
        src, out = os.path.join(d, "in.jpg"), os.path.join(d, "out." + ext)
        with open(src, "wb") as f:
            f.write(jpeg_bytes)
        args = {"heif-enc": ["heif-enc", "-q", "85", "-o", out, src],
                "avifenc": ["avifenc", "--speed", "9", "--min", "8", "--max", "24", src, out]}[tool]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        with open(out, "rb") as f:
            return f.read()

def boxes(b, start, end):
    """(offset, size, type) of the ISOBMFF boxes in b[start:end]."""
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", b[start:start + 8])
        yield start, size, kind
        start += size

def child(b, parent, kind):
    off, size, _ = parent
    body = off + (12 if b[off + 4:off + 8] == b"meta" else 8)  # meta is a full box
    return next(x for x in boxes(b, body, off + size) if x[2] == kind)

def add_irot(heif, angle):
    """Gives the primary item of a single-image HEIF an `irot` property (`angle` × 90°
    anticlockwise), as a phone writes it: appended to ipco and associated in ipma, the
    enclosing boxes' sizes and iloc's file offsets moved by the added bytes."""
    b = bytearray(heif)
    meta = next(x for x in boxes(b, 0, len(b)) if x[2] == b"meta")
    iprp = child(b, meta, b"iprp"); ipco = child(b, iprp, b"ipco"); ipma = child(b, iprp, b"ipma")
    iloc = child(b, meta, b"iloc"); pitm = child(b, meta, b"pitm")
    primary = struct.unpack(">H", b[pitm[0] + 12:pitm[0] + 14])[0]
    n_props = sum(1 for _ in boxes(b, ipco[0] + 8, ipco[0] + ipco[1]))
    irot = struct.pack(">I4sB", 9, b"irot", angle)
    # ipma (version 0, flags 0): entry count, then per item: id, count, 1-byte indices.
    assert b[ipma[0] + 8:ipma[0] + 12] == b"\0\0\0\0", "ipma version 0 only"
    at, entries = ipma[0] + 16, struct.unpack(">I", b[ipma[0] + 12:ipma[0] + 16])[0]
    for _ in range(entries):
        item, count = struct.unpack(">HB", b[at:at + 3])
        if item == primary:
            b[at + 2] = count + 1
            b[at + 3 + count:at + 3 + count] = bytes([0x80 | (n_props + 1)])  # essential
            break
        at += 3 + count
    else:
        raise ValueError("the primary item has no properties")
    b[ipco[0] + ipco[1]:ipco[0] + ipco[1]] = irot  # ipco comes before ipma
    grown = len(irot) + 1
    for box, extra in ((ipco, len(irot)), (ipma, 1)):
        pos = box[0] + (len(irot) if box is ipma else 0)
        struct.pack_into(">I", b, pos, box[1] + extra)
    for box in (iprp, meta):
        struct.pack_into(">I", b, box[0], box[1] + grown)
    # iloc (version 0 or 1), before iprp here so still at its place: move every
    # file-offset (construction method 0) by what was added.
    off = iloc[0]
    version = b[off + 8]
    sizes = b[off + 12], b[off + 13]
    offset_size, length_size, base_size = sizes[0] >> 4, sizes[0] & 15, sizes[1] >> 4
    index_size = sizes[1] & 15 if version else 0
    assert iloc[0] < iprp[0] and version < 2
    at, (count,) = off + 16, struct.unpack(">H", b[off + 14:off + 16])
    def field(at, n):
        return int.from_bytes(b[at:at + n], "big") if n else 0
    for _ in range(count):
        at += 2  # item id
        method = 0
        if version == 1:
            method = field(at, 2) & 15; at += 2
        at += 2  # data reference index
        base = field(at, base_size)
        if method == 0 and base_size:
            b[at:at + base_size] = (base + grown).to_bytes(base_size, "big")
        at += base_size
        extents = field(at, 2); at += 2
        for _ in range(extents):
            at += index_size
            if method == 0 and not base_size:
                b[at:at + offset_size] = (field(at, offset_size) + grown).to_bytes(offset_size, "big")
            at += offset_size + length_size
    return bytes(b)

def forge_size(heif, width, height):
    """Every ispe property (version and flags, width, height) claims another size: the
    primary image's and, where heif-enc wrote a one-tile grid, the tile's."""
    b = bytearray(heif)
    at = b.find(b"ispe")
    while at >= 0:
        struct.pack_into(">II", b, at + 8, width, height)
        at = b.find(b"ispe", at + 4)
    return bytes(b)

good_heic = encode("heif-enc", good_jpeg, "heic")
good_avif = encode("avifenc", good_jpeg, "avif")
files["truncated-half.heic"] = good_heic[: len(good_heic) // 2]
files["truncated-half.avif"] = good_avif[: len(good_avif) // 2]
files["truncated-header.heic"] = good_heic[:120]
files["huge-header-100000x100000.heic"] = forge_size(good_heic, 100000, 100000)
files["huge-header-100000x100000.avif"] = forge_size(good_avif, 100000, 100000)
# The same stored-sideways picture as exif-rotated.jpg. avifenc turns EXIF orientation 6
# into irot 3 and keeps the EXIF block, tag and all, as phones do; libheif 1.15's
# heif-enc only copies the EXIF, so irot 3 is added to it by hand. Either way a reader
# that applied the EXIF tag after the irot would show it turned twice.
files["irot-and-exif.avif"] = encode("avifenc", files["exif-rotated.jpg"], "avif")
files["irot-and-exif.heic"] = add_irot(encode("heif-enc", files["exif-rotated.jpg"], "heic"), 3)

for name, data in files.items():
    with open(name, "wb") as f:
        f.write(data)
print("\n".join(f"{len(d):>8}  {n}" for n, d in files.items()))
