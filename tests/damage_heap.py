#!/usr/bin/python3
"""Damages an HDF5 file as a bad disk or a broken copy can: one object of its first global heap
collection (where variable-length strings live) is made to claim a size far past the end of the
collection. HDF5 1.10 then copies past the end of its buffer when it reads the string (a
segmentation fault inside the library), which interdep must report as bad input.

    damage_heap.py IN.h5 OUT.h5 [OBJECT]     # OBJECT: which object of the collection, from 0
"""
import struct
import sys

source, target = sys.argv[1], sys.argv[2]
which = int(sys.argv[3]) if len(sys.argv) > 3 else 0
data = bytearray(open(source, "rb").read())
# A collection: "GCOL", version, 3 reserved bytes, its size (8 bytes); then objects, each an
# index (2 bytes), a reference count (2), 4 reserved, its size (8) and its data padded to 8.
collection = data.find(b"GCOL")
if collection < 0:
    sys.exit(f"{source}: no global heap collection")
end = collection + struct.unpack_from("<Q", data, collection + 8)[0]
at, k = collection + 16, 0
while at + 16 <= end:
    index, _, _, size = struct.unpack_from("<HHIQ", data, at)
    if index == 0:
        break
    if k == which:
        struct.pack_into("<Q", data, at + 8, size + (0xCD << 32))
        open(target, "wb").write(data)
        sys.exit(0)
    at += 16 + (size + 7) // 8 * 8
    k += 1
sys.exit(f"{source}: the collection has only {k} objects")
