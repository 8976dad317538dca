package dev.videobackend.transcoder.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What an x86-64 ELF shared library needs from the libraries it links, read with plain Java: its {@code DT_NEEDED}
 * names and the symbol versions of its {@code .gnu.version_r} section (e.g. {@code GLIBC_2.35} from
 * {@code libc.so.6}), which the dynamic loader refuses to load without.
 */
final class ElfVersionNeeds {

    /** A symbol version the library needs from another one. */
    record Need(String library, String version) {
    }

    private static final int SHT_DYNAMIC = 6;
    private static final int SHT_GNU_VERNEED = 0x6ffffffe;
    private static final long DT_NEEDED = 1;
    private static final int SECTION_HEADER_SIZE = 64;

    private final ByteBuffer elf;

    private ElfVersionNeeds(byte[] bytes) {
        this.elf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 64 || elf.getInt(0) != 0x464c457f) {
            throw new IllegalArgumentException("not an ELF file");
        }
        if (bytes[4] != 2 || bytes[5] != 1) {
            throw new IllegalArgumentException("not a little-endian 64-bit ELF file");
        }
        if (elf.getLong(0x28) == 0) {
            throw new IllegalArgumentException("no section headers");
        }
    }

    static ElfVersionNeeds of(byte[] bytes) {
        return new ElfVersionNeeds(bytes);
    }

    /** Every version needed, with the library that must define it. */
    List<Need> versions() {
        List<Need> needs = new ArrayList<>();
        for (int section = 0; section < sectionCount(); section++) {
            if (type(section) != SHT_GNU_VERNEED) {
                continue;
            }
            long strings = offset(link(section));
            int entries = elf.getInt(header(section) + 0x2c);
            int entry = Math.toIntExact(offset(section));
            for (int i = 0; i < entries; i++) {
                String library = string(strings, elf.getInt(entry + 4));
                int aux = entry + elf.getInt(entry + 8);
                for (int j = 0; j < Short.toUnsignedInt(elf.getShort(entry + 2)); j++) {
                    needs.add(new Need(library, string(strings, elf.getInt(aux + 8))));
                    aux += elf.getInt(aux + 12);
                }
                entry += elf.getInt(entry + 12);
            }
        }
        return needs;
    }

    /** The {@code DT_NEEDED} library names, in order. */
    List<String> neededLibraries() {
        List<String> needed = new ArrayList<>();
        for (int section = 0; section < sectionCount(); section++) {
            if (type(section) != SHT_DYNAMIC) {
                continue;
            }
            long strings = offset(link(section));
            long end = offset(section) + elf.getLong(header(section) + 0x20);
            for (int entry = Math.toIntExact(offset(section)); entry + 16 <= end; entry += 16) {
                long tag = elf.getLong(entry);
                if (tag == 0) {
                    break;
                }
                if (tag == DT_NEEDED) {
                    needed.add(string(strings, Math.toIntExact(elf.getLong(entry + 8))));
                }
            }
        }
        return needed;
    }

    private int sectionCount() {
        return Short.toUnsignedInt(elf.getShort(0x3c));
    }

    private int header(int section) {
        if (Short.toUnsignedInt(elf.getShort(0x3a)) != SECTION_HEADER_SIZE) {
            throw new IllegalArgumentException("unexpected section header size");
        }
        return Math.toIntExact(elf.getLong(0x28) + (long) section * SECTION_HEADER_SIZE);
    }

    private int type(int section) {
        return elf.getInt(header(section) + 4);
    }

    private long offset(int section) {
        return elf.getLong(header(section) + 0x18);
    }

    private int link(int section) {
        return elf.getInt(header(section) + 0x28);
    }

    private String string(long table, int index) {
        int start = Math.toIntExact(table + Integer.toUnsignedLong(index));
        int end = start;
        while (elf.get(end) != 0) {
            end++;
        }
        return new String(elf.array(), start, end - start, StandardCharsets.US_ASCII);
    }
}
