#!/usr/bin/env python3
"""Replace the model card embedded in an ONNX file (metadata_props key 'flare.card') without
the onnx package: the top-level ModelProto fields are copied as they are, every existing
metadata_props entry (field 14) with key 'flare.card' is dropped and the new card is appended.

  python3 models/embed_card.py MODEL.onnx CARD.json [OUT.onnx]
"""
import json
import sys


def _varint(b, i):
    r = s = 0
    while True:
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        s += 7
        if not c & 0x80:
            return r, i


def _enc_varint(v):
    out = bytearray()
    while True:
        c = v & 0x7F
        v >>= 7
        out.append(c | (0x80 if v else 0))
        if not v:
            return bytes(out)


def _ld(field, payload):
    return _enc_varint(field << 3 | 2) + _enc_varint(len(payload)) + payload


def _entry_key(payload):
    i = 0
    while i < len(payload):
        tag, i = _varint(payload, i)
        ln, i = _varint(payload, i)
        if tag >> 3 == 1:
            return payload[i : i + ln].decode()
        i += ln
    return None


def embed(model_bytes, card):
    b, i, out = model_bytes, 0, bytearray()
    while i < len(b):
        start = i
        tag, i = _varint(b, i)
        wt = tag & 7
        if wt == 0:
            _, i = _varint(b, i)
        elif wt == 1:
            i += 8
        elif wt == 5:
            i += 4
        elif wt == 2:
            ln, i = _varint(b, i)
            if tag >> 3 == 14 and _entry_key(b[i : i + ln]) == "flare.card":
                i += ln
                continue
            i += ln
        else:
            raise ValueError("unexpected wire type %d" % wt)
        out += b[start:i]
    text = json.dumps(card, separators=(",", ":")).encode()
    out += _ld(14, _ld(1, b"flare.card") + _ld(2, text))
    return bytes(out)


if __name__ == "__main__":
    src, card_path = sys.argv[1], sys.argv[2]
    dst = sys.argv[3] if len(sys.argv) > 3 else src
    data = embed(open(src, "rb").read(), json.load(open(card_path)))
    open(dst, "wb").write(data)
    print("embedded", card_path, "into", dst, len(data), "bytes")
