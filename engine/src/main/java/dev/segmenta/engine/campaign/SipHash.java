package dev.segmenta.engine.campaign;

import dev.segmenta.engine.Reference;

/**
 * SipHash-2-4, a keyed 64-bit hash of a byte string: with a secret or a chosen key its values cannot be
 * steered by the input, and are as good as uniform for every kind of id (sequential numbers, e-mails,
 * UUIDs), which an unkeyed hash such as FNV is not. Checked against the reference test vectors.
 */
@Reference(authors = "J.-P. Aumasson, D. J. Bernstein",
        title = "SipHash: a fast short-input PRF",
        booktitle = "Progress in Cryptology - INDOCRYPT 2012, LNCS 7668",
        year = 2012,
        url = "https://doi.org/10.1007/978-3-642-34931-7_28")
public final class SipHash {

    private final long k0;
    private final long k1;

    /** The key as two little-endian 64-bit words (bytes 0-7 and 8-15 of the reference's 128-bit key). */
    public SipHash(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    /** The hash of {@code bytes[offset, offset + length)}. */
    public long hash(byte[] bytes, int offset, int length) {
        long[] v = {k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL, k0 ^ 0x6c7967656e657261L, k1 ^ 0x7465646279746573L};
        int end = offset + length - (length & 7);
        for (int i = offset; i < end; i += 8) {
            absorb(v, littleEndian(bytes, i, 8));
        }
        absorb(v, (long) length << 56 | littleEndian(bytes, end, length & 7));
        v[2] ^= 0xff;
        rounds(v, 4);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    /** One message word through the two compression rounds (the "2" of SipHash-2-4). */
    private static void absorb(long[] v, long m) {
        v[3] ^= m;
        rounds(v, 2);
        v[0] ^= m;
    }

    private static void rounds(long[] v, int count) {
        for (int r = 0; r < count; r++) {
            v[0] += v[1];
            v[1] = Long.rotateLeft(v[1], 13) ^ v[0];
            v[0] = Long.rotateLeft(v[0], 32);
            v[2] += v[3];
            v[3] = Long.rotateLeft(v[3], 16) ^ v[2];
            v[0] += v[3];
            v[3] = Long.rotateLeft(v[3], 21) ^ v[0];
            v[2] += v[1];
            v[1] = Long.rotateLeft(v[1], 17) ^ v[2];
            v[2] = Long.rotateLeft(v[2], 32);
        }
    }

    private static long littleEndian(byte[] bytes, int offset, int count) {
        long value = 0;
        for (int i = count - 1; i >= 0; i--) {
            value = value << 8 | (bytes[offset + i] & 0xFFL);
        }
        return value;
    }
}
