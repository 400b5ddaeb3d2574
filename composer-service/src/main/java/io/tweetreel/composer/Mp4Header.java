package io.tweetreel.composer;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Measures a composed MP4 from its own header ({@code moov}): the movie's duration ({@code mvhd}) and the picture
 * size of its video track ({@code tkhd} of the track whose handler is {@code vide}). The encode already wrote what
 * ffprobe would report, so reading a few kilobytes in-process saves a second process per job. With
 * {@code +faststart} the header is the second box; any other layout is walked box by box, skipping the media data.
 */
final class Mp4Header {
    private static final int BOX_HEADER = 8;
    /** A header larger than this is not one our encodes write (5–30 s reels have a few hundred KB at most). */
    private static final long MAX_MOOV = 64L << 20;

    private Mp4Header() {}

    /**
     * The reel's duration, size and picture size.
     *
     * @throws IOException the file cannot be read or is not an MP4 with a movie header and a video track
     */
    static ComposedReel measure(Path mp4) throws IOException {
        try (FileChannel file = FileChannel.open(mp4, StandardOpenOption.READ)) {
            ByteBuffer moov = findMoov(file, mp4);
            Double duration = null;
            int[] size = null;
            while (moov.remaining() >= BOX_HEADER) {
                Box box = Box.next(moov);
                if (box.type.equals("mvhd")) {
                    duration = movieDuration(box.body);
                } else if (box.type.equals("trak") && size == null) {
                    size = videoSize(box.body);
                }
            }
            if (duration == null) {
                throw new IOException(mp4 + " has no movie header (mvhd)");
            }
            if (size == null) {
                throw new IOException(mp4 + " has no video stream");
            }
            return new ComposedReel(duration, file.size(), size[0], size[1]);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new IOException(mp4 + " has a malformed MP4 header: " + e.getMessage(), e);
        }
    }

    /** The body of the top-level {@code moov} box. */
    private static ByteBuffer findMoov(FileChannel file, Path mp4) throws IOException {
        long position = 0;
        long end = file.size();
        ByteBuffer header = ByteBuffer.allocate(16);
        while (position + BOX_HEADER <= end) {
            header.clear().limit(BOX_HEADER);
            readFully(file, header, position);
            header.flip();
            long size = Integer.toUnsignedLong(header.getInt());
            String type = fourCc(header);
            int headerLength = BOX_HEADER;
            if (size == 1) {
                header.clear().limit(8);
                readFully(file, header, position + BOX_HEADER);
                header.flip();
                size = header.getLong();
                headerLength = 16;
            } else if (size == 0) {
                size = end - position;
            }
            if (size < headerLength || position + size > end) {
                throw new IOException(mp4 + " has a box '" + type + "' that overruns the file");
            }
            if (type.equals("moov")) {
                long bodyLength = size - headerLength;
                if (bodyLength > MAX_MOOV) {
                    throw new IOException(mp4 + " has a movie header of " + bodyLength + " bytes");
                }
                ByteBuffer body = ByteBuffer.allocate((int) bodyLength);
                readFully(file, body, position + headerLength);
                return body.flip();
            }
            position += size;
        }
        throw new IOException(mp4 + " has no movie header (moov)");
    }

    /** mvhd: version 0 has 32-bit times, version 1 64-bit; the duration is in the header's timescale. */
    private static double movieDuration(ByteBuffer mvhd) {
        int version = mvhd.get() & 0xff;
        mvhd.position(mvhd.position() + 3); // flags
        long timescale;
        long duration;
        if (version == 1) {
            mvhd.position(mvhd.position() + 16); // creation, modification
            timescale = Integer.toUnsignedLong(mvhd.getInt());
            duration = mvhd.getLong();
        } else {
            mvhd.position(mvhd.position() + 8);
            timescale = Integer.toUnsignedLong(mvhd.getInt());
            duration = Integer.toUnsignedLong(mvhd.getInt());
        }
        if (timescale == 0) {
            throw new IllegalArgumentException("mvhd timescale 0");
        }
        return (double) duration / timescale;
    }

    /** Width and height of a video track (16.16 fixed point in tkhd), or null for another kind of track. */
    private static int[] videoSize(ByteBuffer trak) {
        int[] size = null;
        boolean video = false;
        while (trak.remaining() >= BOX_HEADER) {
            Box box = Box.next(trak);
            if (box.type.equals("tkhd")) {
                ByteBuffer tkhd = box.body;
                int version = tkhd.get() & 0xff;
                // flags; creation, modification, track id, reserved, duration; reserved, layer, group, volume,
                // reserved; matrix
                tkhd.position(tkhd.position() + 3 + (version == 1 ? 32 : 20) + 16 + 36);
                size = new int[] {tkhd.getInt() >>> 16, tkhd.getInt() >>> 16};
            } else if (box.type.equals("mdia")) {
                video = isVideo(box.body);
            }
        }
        return video ? size : null;
    }

    private static boolean isVideo(ByteBuffer mdia) {
        while (mdia.remaining() >= BOX_HEADER) {
            Box box = Box.next(mdia);
            if (box.type.equals("hdlr")) {
                box.body.position(box.body.position() + 8); // version, flags, pre_defined
                return fourCc(box.body).equals("vide");
            }
        }
        return false;
    }

    /** A box inside an in-memory box: its type and a view of its body; the parent moves past it. */
    private record Box(String type, ByteBuffer body) {
        static Box next(ByteBuffer parent) {
            long size = Integer.toUnsignedLong(parent.getInt());
            String type = fourCc(parent);
            int headerLength = BOX_HEADER;
            if (size == 1) {
                size = parent.getLong();
                headerLength = 16;
            } else if (size == 0) {
                size = headerLength + (long) parent.remaining();
            }
            long bodyLength = size - headerLength;
            if (bodyLength < 0 || bodyLength > parent.remaining()) {
                throw new IllegalArgumentException("box '" + type + "' of " + size + " bytes overruns its parent");
            }
            ByteBuffer body = parent.slice(parent.position(), (int) bodyLength);
            parent.position(parent.position() + (int) bodyLength);
            return new Box(type, body);
        }
    }

    private static String fourCc(ByteBuffer buffer) {
        byte[] type = new byte[4];
        buffer.get(type);
        return new String(type, StandardCharsets.ISO_8859_1);
    }

    private static void readFully(FileChannel file, ByteBuffer into, long position) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int read = file.read(into, at);
            if (read < 0) {
                throw new EOFException("unexpected end of file at " + at);
            }
            at += read;
        }
    }
}
