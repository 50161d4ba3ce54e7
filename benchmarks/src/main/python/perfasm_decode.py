"""Decodes one hot region of a JMH `-prof perfasm` report into x86-64 mnemonics.

The FCML HotSpot disassembler (Debian's libhsdis0-fcml) makes PrintAssembly print raw bytes
only; this pairs those bytes with JMH's percentages and the JIT's bytecode comments and runs them
through objdump. Used for the W1 profiles in benchmarks/README.md:

    apt-get install libhsdis0-fcml binutils
    mkdir -p /tmp/hsdis && ln -sf /usr/lib/x86_64-linux-gnu/libhsdis.so.0 /tmp/hsdis/hsdis-amd64.so
    LD_LIBRARY_PATH=/tmp/hsdis java -cp ... org.openjdk.jmh.Main W1Yield.ours -f 1 \
        -prof "perfasm:events=cpu-clock" > perfasm.txt   # no hardware counters in a VM
    python3 perfasm_decode.py perfasm.txt 1 > region1.txt
"""

import re
import subprocess
import sys
import tempfile

BYTES = re.compile(r"\s*([0-9.]+%)?\s+0x([0-9a-f]+): ([0-9a-f| ]+)$")
COMMENT = re.compile(r"\s*([0-9.]+%)?\s+0x([0-9a-f]+): ;(.*)$")


def region_lines(report, region):
    lines = report.split("\n")
    start = next(i for i, l in enumerate(lines) if "Hottest Region %s]" % region in l)
    end = next(i for i, l in enumerate(lines) if "<total for region %s>" % region in l)
    return lines[start:end]


def parse(lines):
    """(address, percent, hex bytes) rows and the JIT's comments by address."""
    rows, comments, last = [], {}, None
    for line in lines:
        m = BYTES.match(line)
        if m:
            hexbytes = m.group(3).replace("|", "").replace(" ", "")
            if re.fullmatch(r"[0-9a-f]+", hexbytes):
                rows.append((int(m.group(2), 16), m.group(1) or "", hexbytes))
                continue
        m = COMMENT.match(line)
        if m:
            last = int(m.group(2), 16)
            comments.setdefault(last, []).append(m.group(3).strip())
        elif last is not None and line.strip().startswith("; -"):
            comments[last].append(line.strip())
    return rows, comments


def blobs(rows):
    """Contiguous byte runs: [start address, hex, {address: percent}]."""
    out = []
    for address, percent, hexbytes in rows:
        cur = out[-1] if out else None
        if cur and cur[0] + len(cur[1]) // 2 == address:
            cur[1] += hexbytes
            cur[2][address] = percent
        else:
            out.append([address, hexbytes, {address: percent}])
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: perfasm_decode.py REPORT REGION_NUMBER")
    with open(sys.argv[1]) as f:
        rows, comments = parse(region_lines(f.read(), sys.argv[2]))
    for start, hexbytes, percents in blobs(rows):
        with tempfile.NamedTemporaryFile(suffix=".bin") as tmp:
            tmp.write(bytes.fromhex(hexbytes))
            tmp.flush()
            dump = subprocess.run(
                ["objdump", "-D", "-b", "binary", "-mi386:x86-64",
                 "--adjust-vma=0x%x" % start, tmp.name],
                capture_output=True, text=True, check=True).stdout
        for line in dump.split("\n")[7:]:
            m = re.match(r"\s*([0-9a-f]+):", line)
            if not m:
                continue
            address = int(m.group(1), 16)
            for c in comments.get(address, [])[:3]:
                print("            ;" + c[:120])
            print("%7s %s" % (percents.get(address, ""), line.strip()))


if __name__ == "__main__":
    main()
