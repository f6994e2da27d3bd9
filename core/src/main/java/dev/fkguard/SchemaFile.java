package dev.fkguard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * The rows of {@code sqlite_schema} (type, name, tbl_name, sql, in rowid order) read straight from a database file, in
 * pure Java, without SQLite: what {@code SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid} returns
 * on a connection to it, or nothing at all.
 *
 * <p>It follows <a href="https://www.sqlite.org/fileformat2.html">the file format</a>: the 100-byte header, the table
 * b-tree rooted at page 1 (interior and leaf pages, cells, payload spilled to overflow pages), the record format and
 * the three text encodings. It is conservative everywhere: it answers {@link Optional#empty()} on anything it does
 * not expect, and never opens the file for writing nor creates one. No answer when
 * <ul>
 * <li>the path is not a regular file, or the file is not a database it knows (magic, page size, reserved bytes,
 *     read or write version above 2, payload fractions, header page count unset or beyond the end of the file);</li>
 * <li>a {@code -wal} file beside it holds anything (in WAL mode, committed content may be newer than the main file),
 *     or a {@code -journal} does (a hot journal to roll back, or a writer in progress);</li>
 * <li>SQLite's SHARED lock cannot be had at once (another process holds a PENDING or EXCLUSIVE lock: it is about
 *     to write or writing the file), taken as SQLite's unix VFS takes it: fcntl read locks on the PENDING byte
 *     and the SHARED range; it is held while the file is read, and released with the channel;</li>
 * <li>any structural inconsistency: a page type other than a table b-tree page, a page number out of range (or
 *     SQLite's lock-byte page), a page reached twice (a loop in the tree or an overflow chain), rowids not
 *     increasing, a cell or record that does not fit, a row that is not five columns of text, text, text, integer,
 *     text or NULL, text that does not decode, or holds a NUL or U+FFFD.</li>
 * </ul>
 *
 * <p><b>Why a torn read cannot give a wrong answer.</b> The lock keeps a rollback-mode writer out while the file is
 * read, but a WAL checkpoint (or a process ignoring locks) could still change pages under the reader. What the rows
 * are used for is {@link SyncStamp}: an answer needs exactly one stamp inside the rows whose two digests equal
 * the digests of all the rows. A read mixing pages of two states either breaks the structure (no answer), or
 * misses, doubles or garbles a row (the digests differ: no answer, but for a chance of about 2^-64), or yields
 * exactly the rows of a state some sync stamped, which is then the committed state of a moment during the read:
 * the answer a connection reading at that moment would have given.
 *
 * <p>POSIX record locks belong to the process, and closing any descriptor of the file drops every lock the process
 * holds on it: use this only in a process that has no SQLite connection open to the file (the CLI reads it before
 * it loads the driver).
 */
final class SchemaFile {
    /** SQLite's unix VFS: the PENDING byte at 1 GiB, the SHARED range after it and the RESERVED byte. */
    private static final long PENDING_BYTE = 0x40000000L;
    private static final long SHARED_FIRST = PENDING_BYTE + 2;
    private static final int SHARED_SIZE = 510;
    private static final long RESERVED_BYTE = PENDING_BYTE + 1;
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_DEPTH = 40;
    /** Bytes read at a time: a multiple of every page size. */
    private static final int BLOCK = 1 << 18;

    private final FileChannel channel;
    private final int pageSize;
    private final int usable;
    private final long pages;
    private final Charset encoding;
    private final boolean wal;
    private final BitSet seen = new BitSet();
    private final List<SchemaReader.SchemaRow> rows = new ArrayList<>();
    private long lastRowid = Long.MIN_VALUE;
    private byte[] block;
    private long blockIndex = -1;

    /** Thrown inside the reader on anything unexpected; never leaves it. */
    private static final class Unexpected extends Exception {
        Unexpected(String why) {
            super(why, null, false, false);
        }
    }

    private SchemaFile(FileChannel channel, int pageSize, int usable, long pages, Charset encoding, boolean wal) {
        this.wal = wal;
        this.channel = channel;
        this.pageSize = pageSize;
        this.usable = usable;
        this.pages = pages;
        this.encoding = encoding;
    }

    /** The rows of {@code sqlite_schema} of the database in {@code file}, in rowid order; empty when unsure. */
    static Optional<List<SchemaReader.SchemaRow>> read(Path file) {
        return read(file, false);
    }

    /**
     * As {@link #read(Path)}; with {@code asWriter}, also empty wherever a writer could not start at once: the file
     * cannot be opened for writing (it is write protected, and {@code BEGIN IMMEDIATE} would fail), another process
     * holds the RESERVED lock (a writer in a transaction), or it is in WAL mode with a {@code -shm} beside it (a
     * connection may hold WAL's write lock, which lives there). The RESERVED byte is locked for a moment and
     * released, as any writer does; nothing is written.
     */
    static Optional<List<SchemaReader.SchemaRow>> read(Path file, boolean asWriter) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isRegularFile() || journalBeside(file)) {
                return Optional.empty();
            }
            java.util.Set<StandardOpenOption> mode = asWriter
                    ? java.util.EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : java.util.EnumSet.of(StandardOpenOption.READ);
            try (FileChannel ch = FileChannel.open(file, mode)) {
                // as unixLock takes SHARED: a read lock on the PENDING byte (refused while a writer waits for or
                // holds EXCLUSIVE), then on the SHARED range, then the PENDING byte is let go
                FileLock pending = ch.tryLock(PENDING_BYTE, 1, true);
                if (pending == null) {
                    return Optional.empty();
                }
                FileLock lock = ch.tryLock(SHARED_FIRST, SHARED_SIZE, true);
                pending.release();
                if (lock == null) {
                    return Optional.empty();
                }
                if (asWriter) {
                    FileLock reserved = ch.tryLock(RESERVED_BYTE, 1, false);
                    if (reserved == null) {
                        return Optional.empty();
                    }
                    reserved.release();
                }
                // a journal that appeared before the lock was granted: its writer may have changed pages since
                if (journalBeside(file)) {
                    return Optional.empty();
                }
                SchemaFile f = open(ch);
                if (f.wal && (asWriter && Files.exists(sibling(file, "-shm"))
                        || !Files.isWritable(file.toAbsolutePath().getParent()))) {
                    // a reader in WAL mode needs -shm, which SQLite must be able to create beside the file
                    return Optional.empty();
                }
                List<SchemaReader.SchemaRow> rows = f.readAll();
                // a WAL written and checkpointed while the pages were read: see the class comment on torn reads
                if (journalBeside(file)) {
                    return Optional.empty();
                }
                return Optional.of(rows);
            }
        } catch (IOException | Unexpected | RuntimeException e) { // RuntimeException: OverlappingFileLockException too
            return Optional.empty();
        }
    }

    /** A {@code -wal} or {@code -journal} beside the file that holds anything: pages may be newer than the file's. */
    private static boolean journalBeside(Path file) throws IOException {
        return holdsAnything(sibling(file, "-wal")) || holdsAnything(sibling(file, "-journal"));
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    /** True when the file exists and is not empty (or cannot be told: a directory, no permission). */
    private static boolean holdsAnything(Path p) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return !a.isRegularFile() || a.size() > 0;
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    private static SchemaFile open(FileChannel ch) throws IOException, Unexpected {
        byte[] h = new byte[100];
        readFully(ch, h, 0);
        for (int i = 0; i < MAGIC.length; i++) {
            if (h[i] != MAGIC[i]) {
                throw new Unexpected("not a SQLite 3 file");
            }
        }
        int raw = u16(h, 16);
        int pageSize = raw == 1 ? 65536 : raw;
        if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
            throw new Unexpected("page size " + raw);
        }
        int writeVersion = h[18] & 0xff;
        int readVersion = h[19] & 0xff;
        if (writeVersion < 1 || writeVersion > 2 || readVersion < 1 || readVersion > 2) {
            throw new Unexpected("file format version " + writeVersion + "/" + readVersion);
        }
        int reserved = h[20] & 0xff;
        int usable = pageSize - reserved;
        if (usable < 480 || h[21] != 64 || h[22] != 32 || h[23] != 32) {
            throw new Unexpected("reserved bytes or payload fractions");
        }
        long pages = u32(h, 28);
        // the page count in the header is valid only when "version-valid-for" equals the change counter
        if (pages == 0 || u32(h, 92) != u32(h, 24) || pages * pageSize > ch.size()) {
            throw new Unexpected("page count");
        }
        Charset encoding = switch ((int) u32(h, 56)) {
            case 0 -> null; // a file with no schema yet: no text to decode
            case 1 -> StandardCharsets.UTF_8;
            case 2 -> StandardCharsets.UTF_16LE;
            case 3 -> StandardCharsets.UTF_16BE;
            default -> throw new Unexpected("text encoding");
        };
        return new SchemaFile(ch, pageSize, usable, pages, encoding, readVersion == 2);
    }

    private List<SchemaReader.SchemaRow> readAll() throws IOException, Unexpected {
        walk(1, 0);
        return rows;
    }

    /** Reads the table b-tree page {@code page} and everything below it, in key order. */
    private void walk(long page, int depth) throws IOException, Unexpected {
        if (depth > MAX_DEPTH) {
            throw new Unexpected("tree too deep");
        }
        byte[] p = page(page);
        int at = page == 1 ? 100 : 0;
        int type = p[at] & 0xff;
        int cells = u16(p, at + 3);
        int contentStart = u16(p, at + 5);
        int header = type == 0x0D ? 8 : type == 0x05 ? 12 : -1;
        if (header < 0) {
            throw new Unexpected("page " + page + " is not a table b-tree page");
        }
        int pointers = at + header;
        if (pointers + 2 * cells > usable || (contentStart != 0 && contentStart < pointers + 2 * cells)) {
            throw new Unexpected("cell pointers of page " + page);
        }
        for (int i = 0; i < cells; i++) {
            int cell = u16(p, pointers + 2 * i);
            if (cell < pointers + 2 * cells || cell >= usable) {
                throw new Unexpected("cell offset on page " + page);
            }
            if (type == 0x05) {
                if (cell + 4 > usable) {
                    throw new Unexpected("interior cell on page " + page);
                }
                walk(u32(p, cell), depth + 1);
            } else {
                leafCell(p, cell);
            }
        }
        if (type == 0x05) {
            walk(u32(p, at + 8), depth + 1);
        }
    }

    private void leafCell(byte[] p, int cell) throws IOException, Unexpected {
        long[] v = new long[2];
        int at = varint(p, cell, usable, v);
        long size = v[0];
        at = varint(p, at, usable, v);
        long rowid = v[0];
        if (rowid <= lastRowid && !rows.isEmpty()) {
            throw new Unexpected("rowids out of order");
        }
        lastRowid = rowid;
        if (size < 0 || size > 1_000_000_000L) {
            throw new Unexpected("payload size");
        }
        int total = (int) size;
        int maxLocal = usable - 35;
        int local = total;
        if (total > maxLocal) {
            int minLocal = (usable - 12) * 32 / 255 - 23;
            int surplus = minLocal + (total - minLocal) % (usable - 4);
            local = surplus <= maxLocal ? surplus : minLocal;
        }
        if (at + local + (local < total ? 4 : 0) > usable) {
            throw new Unexpected("cell does not fit its page");
        }
        byte[] payload = new byte[total];
        System.arraycopy(p, at, payload, 0, local);
        if (local < total) {
            long next = u32(p, at + local);
            int filled = local;
            while (filled < total) {
                if (next == 0) {
                    throw new Unexpected("overflow chain ends early");
                }
                byte[] o = page(next);
                int n = Math.min(usable - 4, total - filled);
                System.arraycopy(o, 4, payload, filled, n);
                filled += n;
                next = u32(o, 0);
            }
            if (next != 0) {
                throw new Unexpected("overflow chain goes on");
            }
        }
        rows.add(record(payload));
    }

    /** A row of sqlite_schema: type, name, tbl_name, rootpage, sql. */
    private SchemaReader.SchemaRow record(byte[] r) throws Unexpected {
        long[] v = new long[2];
        int at = varint(r, 0, r.length, v);
        long headerSize = v[0];
        if (headerSize < 1 || headerSize > r.length) {
            throw new Unexpected("record header");
        }
        long[] types = new long[5];
        int n = 0;
        while (at < headerSize) {
            if (n == 5) {
                throw new Unexpected("more than five columns");
            }
            at = varint(r, at, (int) headerSize, v);
            types[n++] = v[0];
        }
        if (n != 5 || at != headerSize) {
            throw new Unexpected("not five columns");
        }
        String[] text = new String[5];
        int body = (int) headerSize;
        for (int i = 0; i < 5; i++) {
            long t = types[i];
            int len;
            if (t >= 13 && t % 2 == 1) {
                len = (int) ((t - 13) / 2);
                if (i == 3 || body + len > r.length) {
                    throw new Unexpected("column " + i);
                }
                text[i] = decode(r, body, len);
            } else if (i == 3 && t >= 0 && t <= 9 && t != 7) {
                len = switch ((int) t) {
                    case 5 -> 6;
                    case 6 -> 8;
                    case 8, 9 -> 0;
                    default -> (int) t;
                };
            } else if (i == 4 && t == 0) {
                len = 0; // a NULL sql: autoindexes
            } else {
                throw new Unexpected("column " + i + " of type " + t);
            }
            body += len;
        }
        if (body != r.length) {
            throw new Unexpected("record length");
        }
        return new SchemaReader.SchemaRow(text[0], text[1], text[2], text[4]);
    }

    private String decode(byte[] r, int at, int len) throws Unexpected {
        if (encoding == null) {
            throw new Unexpected("text without an encoding");
        }
        // the String constructor is the fast decoder, and it marks what does not decode with U+FFFD: such text, and
        // text holding a real U+FFFD or a NUL, is left to SQLite
        String s = new String(r, at, len, encoding);
        if (s.indexOf('\uFFFD') >= 0 || s.indexOf('\0') >= 0) {
            throw new Unexpected("text that does not decode exactly");
        }
        return s;
    }

    /** Page {@code n} (1-based), read once: a page reached again is a loop. */
    private byte[] page(long n) throws IOException, Unexpected {
        if (n < 1 || n > pages || n == PENDING_BYTE / pageSize + 1 || n > Integer.MAX_VALUE) {
            throw new Unexpected("page number " + n);
        }
        if (seen.get((int) n)) {
            throw new Unexpected("page " + n + " reached twice");
        }
        seen.set((int) n);
        long offset = (n - 1) * pageSize;
        long index = offset / BLOCK;
        if (index != blockIndex) {
            // the schema's pages mostly lie together: read them a block at a time, not one call per page
            long start = index * BLOCK;
            block = new byte[(int) Math.min(BLOCK, pages * pageSize - start)];
            readFully(channel, block, start);
            blockIndex = index;
        }
        byte[] page = new byte[pageSize];
        System.arraycopy(block, (int) (offset - blockIndex * BLOCK), page, 0, pageSize);
        return page;
    }

    private static void readFully(FileChannel ch, byte[] bytes, long position) throws IOException, Unexpected {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new Unexpected("end of file");
            }
        }
    }

    /** Reads a varint at {@code at} (not past {@code end}) into {@code out[0]}; returns the offset after it. */
    private static int varint(byte[] b, int at, int end, long[] out) throws Unexpected {
        long v = 0;
        for (int i = 0; i < 9; i++) {
            if (at + i >= end) {
                throw new Unexpected("varint past the end");
            }
            int x = b[at + i] & 0xff;
            if (i == 8) {
                out[0] = (v << 8) | x;
                return at + 9;
            }
            v = (v << 7) | (x & 0x7f);
            if ((x & 0x80) == 0) {
                out[0] = v;
                return at + i + 1;
            }
        }
        throw new AssertionError();
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    private static long u32(byte[] b, int at) {
        return (long) (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
