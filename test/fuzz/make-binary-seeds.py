#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes the binary seeds of fuzz-elf and fuzz-ld-so-cache into corpus/: small hand-made ELF files and
ld.so.cache files, each exercising one feature of the readers in src/shared/exec-closure.c. Run by hand
when a seed should change; the output is committed (python3 test/fuzz/make-binary-seeds.py)."""

import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

PT_LOAD, PT_DYNAMIC, PT_INTERP = 1, 2, 3
DT_NULL, DT_NEEDED, DT_STRTAB, DT_STRSZ, DT_RPATH, DT_RUNPATH, DT_FLAGS_1 = 0, 1, 5, 10, 15, 29, 0x6FFFFFFB
DF_1_NODEFLIB = 0x800
EM_386, EM_PPC, EM_X86_64 = 3, 20, 62
VADDR = 0x400000


def elf(is64=True, little=True, machine=EM_X86_64, interp=None, needed=(), rpath=None, runpath=None,
        flags_1=0, dynamic=True):
    """An ELF executable with one PT_LOAD mapping the whole file, so every vaddr is VADDR + offset."""
    e = '<' if little else '>'
    word = 'Q' if is64 else 'I'
    ehdr_size, phdr_size, dyn_size = (64, 56, 16) if is64 else (52, 32, 8)

    strtab = b'\0'
    offsets = {}
    for s in list(needed) + [x for x in (rpath, runpath) if x]:
        offsets[s] = len(strtab)
        strtab += s.encode() + b'\0'

    phdrs = [PT_LOAD] + ([PT_INTERP] if interp else []) + ([PT_DYNAMIC] if dynamic else [])
    data_off = ehdr_size + phdr_size * len(phdrs)
    interp_bytes = interp.encode() + b'\0' if interp else b''
    strtab_off = data_off + len(interp_bytes)
    dyn_off = strtab_off + len(strtab)
    dyn = [(DT_NEEDED, offsets[n]) for n in needed]
    if rpath:
        dyn.append((DT_RPATH, offsets[rpath]))
    if runpath:
        dyn.append((DT_RUNPATH, offsets[runpath]))
    if flags_1:
        dyn.append((DT_FLAGS_1, flags_1))
    dyn += [(DT_STRTAB, VADDR + strtab_off), (DT_STRSZ, len(strtab)), (DT_NULL, 0)]
    dyn_bytes = b''.join(struct.pack(e + word + word, t, v) for t, v in dyn) if dynamic else b''
    total = dyn_off + len(dyn_bytes)

    ident = b'\x7fELF' + bytes([2 if is64 else 1, 1 if little else 2, 1, 0]) + b'\0' * 8
    ehdr = ident + struct.pack(e + 'HHI' + word * 3 + 'IHHHHHH', 2, machine, 1, VADDR, ehdr_size, 0, 0,
                               ehdr_size, phdr_size, len(phdrs), 0, 0, 0)

    def phdr(ptype, off, size):
        if is64:
            return struct.pack(e + 'IIQQQQQQ', ptype, 5, off, VADDR + off, VADDR + off, size, size, 0x1000)
        return struct.pack(e + 'IIIIIIII', ptype, off, VADDR + off, VADDR + off, size, size, 5, 0x1000)

    out = ehdr
    for p in phdrs:
        if p == PT_LOAD:
            out += phdr(PT_LOAD, 0, total)
        elif p == PT_INTERP:
            out += phdr(PT_INTERP, data_off, len(interp_bytes))
        else:
            out += phdr(PT_DYNAMIC, dyn_off, len(dyn_bytes))
    return out + interp_bytes + strtab + dyn_bytes


CACHE_MAGIC = b'glibc-ld.so.cache1.1'
FLAG_ELF_LIBC6, FLAG_X8664_LIB64 = 0x0003, 0x0300


def ld_cache(entries, byte_order_flag=2, old_format_entries=0):
    """glibc's new format (flags, key, value, osversion, hwcap), optionally after an old-format table."""
    header_size, entry_size = 48, 24
    strings = b''
    packed = []
    base = header_size + entry_size * len(entries)
    for flags, key, value, hwcap in entries:
        k = base + len(strings)
        strings += key.encode() + b'\0'
        v = base + len(strings)
        strings += value.encode() + b'\0'
        packed.append(struct.pack('<iIIIQ', flags, k, v, 0, hwcap))
    new = CACHE_MAGIC + struct.pack('<IIB3xI12x', len(entries), len(strings), byte_order_flag, 0)
    new += b''.join(packed) + strings
    if not old_format_entries:
        return new
    old = b'ld.so-1.7.0\0' + struct.pack('<I', old_format_entries) + b'\0' * (12 * old_format_entries)
    old += b'\0' * (-len(old) % 8)
    return old + new


def write(target, name, content):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(content)


LD_SO = '/lib64/ld-linux-x86-64.so.2'
write('fuzz-elf', 'elf64-runpath', elf(interp=LD_SO, needed=['libc.so.6', 'libmissing.so.1'],
                                       runpath='$ORIGIN/../lib:/nonexistent'))
write('fuzz-elf', 'elf64-rpath-nodeflib', elf(interp=LD_SO, needed=['libm.so.6'], rpath='${ORIGIN}:$LIB/x',
                                              flags_1=DF_1_NODEFLIB))
write('fuzz-elf', 'elf64-needed-with-slash', elf(interp=LD_SO, needed=['$ORIGIN/exe', '/lib/$PLATFORM/libc.so.6']))
write('fuzz-elf', 'elf64-static', elf(dynamic=False))
write('fuzz-elf', 'elf32-big-endian', elf(is64=False, little=False, machine=EM_PPC, interp='/lib/ld.so.1',
                                          needed=['libc.so.6'], runpath='/usr/lib'))
write('fuzz-elf', 'elf32-i386', elf(is64=False, machine=EM_386, interp='/lib/ld-linux.so.2', needed=['libc.so.6']))
write('fuzz-elf', 'shebang-sh', b'#!/bin/sh -e\necho hello\n')
write('fuzz-elf', 'shebang-env-self', b'#!/usr/bin/env   exe  \n')

X86_64 = FLAG_ELF_LIBC6 | FLAG_X8664_LIB64
libs = [
    (X86_64, 'libc.so.6', '/lib/x86_64-linux-gnu/libc.so.6', 0),
    (X86_64, 'libm.so.6', '/lib/x86_64-linux-gnu/libm.so.6', 0),
    (X86_64, 'libgcc_s.so.1', '/lib/x86_64-linux-gnu/libgcc_s.so.1', 0),
    (X86_64, 'libstdc++.so.6', '/usr/lib/x86_64-linux-gnu/libstdc++.so.6', 0),
    (X86_64, 'libcap.so.2', '/lib/x86_64-linux-gnu/libcap.so.2', 0),
]
write('fuzz-ld-so-cache', 'cache-new', ld_cache(libs))
write('fuzz-ld-so-cache', 'cache-hwcaps-and-self', ld_cache(
    [(X86_64, 'libc.so.6', '/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/libc.so.6', 1 << 62),
     (X86_64, 'libcap.so.2', '/proc/self/exe', 0)] + libs))
write('fuzz-ld-so-cache', 'cache-old-then-new', ld_cache(libs[:2], old_format_entries=3))
write('fuzz-ld-so-cache', 'cache-big-endian', ld_cache(libs, byte_order_flag=3))
write('fuzz-ld-so-cache', 'cache-i386-only', ld_cache([(FLAG_ELF_LIBC6, n, p, 0) for _, n, p, _ in libs]))
