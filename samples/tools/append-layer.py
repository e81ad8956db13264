#!/usr/bin/python3
"""Appends a pre-compressed layer blob to a tagged image in an OCI layout, for the layers umoci
cannot make itself (umoci 0.4 writes only gzip). Stdlib only; independent of imgslim.

Usage: append-layer.py LAYOUT TAG BLOB MEDIA_TYPE DIFF_ID CREATED CREATED_BY

BLOB is the compressed layer file, DIFF_ID the sha256 of its uncompressed tar ("sha256:..."),
CREATED an RFC 3339 time for the history entry. The manifest and config are rewritten as new
blobs and the index entry for TAG is repointed; run `umoci gc` afterwards to drop the old ones.
"""
import hashlib
import json
import os
import shutil
import sys


def blob_path(layout, digest):
    algorithm, hex_digest = digest.split(":", 1)
    return os.path.join(layout, "blobs", algorithm, hex_digest)


def file_digest(path):
    sha = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            sha.update(chunk)
    return "sha256:" + sha.hexdigest()


def write_json_blob(layout, value):
    """Writes compact JSON (as Go's encoding/json does) and returns its descriptor fields."""
    data = json.dumps(value, separators=(",", ":")).encode()
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    with open(blob_path(layout, digest), "wb") as stream:
        stream.write(data)
    return digest, len(data)


def read_json(path):
    with open(path, "rb") as stream:
        return json.load(stream)


def main(layout, tag, blob, media_type, diff_id, created, created_by):
    index_path = os.path.join(layout, "index.json")
    index = read_json(index_path)
    entries = [m for m in index["manifests"]
               if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag]
    if len(entries) != 1:
        sys.exit(f"append-layer: expected one manifest tagged {tag!r}, found {len(entries)}")
    entry = entries[0]
    manifest = read_json(blob_path(layout, entry["digest"]))
    config = read_json(blob_path(layout, manifest["config"]["digest"]))

    digest = file_digest(blob)
    shutil.copyfile(blob, blob_path(layout, digest))
    manifest["layers"].append({"mediaType": media_type, "digest": digest, "size": os.path.getsize(blob)})
    config["rootfs"]["diff_ids"].append(diff_id)
    config.setdefault("history", []).append({"created": created, "created_by": created_by})

    manifest["config"]["digest"], manifest["config"]["size"] = write_json_blob(layout, config)
    entry["digest"], entry["size"] = write_json_blob(layout, manifest)
    with open(index_path, "w") as stream:
        json.dump(index, stream, separators=(",", ":"))


if __name__ == "__main__":
    if len(sys.argv) != 8:
        sys.exit(__doc__.strip().splitlines()[3])
    main(*sys.argv[1:])
