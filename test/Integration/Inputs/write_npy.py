"""Writes a .npy file with any header, true or not, for the hostile-input
tests: write_npy.py OUT DESCR FORTRAN SHAPE DATA_BYTES [VERSION]."""
import struct
import sys

out, descr, fortran, shape, data_bytes = sys.argv[1:6]
version = int(sys.argv[6]) if len(sys.argv) > 6 else 1
header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
    descr, fortran, shape)
prefix = 10 if version == 1 else 12
header += " " * ((64 - (prefix + len(header) + 1) % 64) % 64) + "\n"
length = struct.pack("<H" if version == 1 else "<I", len(header))
with open(out, "wb") as f:
    f.write(b"\x93NUMPY" + bytes([version, 0]) + length + header.encode())
    f.write(bytes(int(data_bytes)))
