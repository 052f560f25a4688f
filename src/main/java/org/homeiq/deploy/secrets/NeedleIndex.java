package org.homeiq.deploy.secrets;

import java.security.SecureRandom;

/**
 * The texts to mask, kept as polynomial hashes (modulo 2<sup>64</sup>, with an odd base drawn at
 * random per run) grouped by length. Adding a text costs its length; finding every
 * occurrence in a text of n characters costs n × the number of distinct lengths, whatever the
 * number of texts. A plain list of needles replaced one by one cost texts × text length, and its
 * duplicate check made registering a 10k-line {@code .env} quadratic.
 *
 * <p>Equal hashes of different texts are possible (and can be crafted: Thue–Morse strings); the
 * only effect is masking a text that is no secret, never showing one.
 */
final class NeedleIndex {
    private final long base = new SecureRandom().nextLong() | 1;
    private final LongSet keys = new LongSet();
    /** Distinct needle lengths, longest first, and base^length for each. */
    private int[] lengths = new int[0];
    private long[] powers = new long[0];

    boolean isEmpty() {
        return keys.size == 0;
    }

    void add(String needle) {
        int length = needle.length();
        if (length == 0) {
            return;
        }
        keys.add(key(hash(needle), length));
        int at = indexOfLength(length);
        if (at < 0) {
            int insert = -at - 1;
            lengths = insert(lengths, insert, length);
            long[] p = new long[powers.length + 1];
            System.arraycopy(powers, 0, p, 0, insert);
            p[insert] = power(length);
            System.arraycopy(powers, insert, p, insert + 1, powers.length - insert);
            powers = p;
        }
    }

    /**
     * Which characters of {@code text} belong to a needle: {@code covered[i]} is true when some
     * needle occurrence spans position i. Overlapping and touching occurrences merge.
     */
    boolean[] covered(String text) {
        int n = text.length();
        var covered = new boolean[n];
        if (keys.size == 0 || n == 0) {
            return covered;
        }
        long[] prefix = new long[n + 1];
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] * base + text.charAt(i);
        }
        int end = 0;
        int first = 0; // the first length that still fits: only moves on as the rest shrinks
        for (int i = 0; i < n; i++) {
            while (first < lengths.length && lengths[first] > n - i) {
                first++;
            }
            for (int k = first; k < lengths.length; k++) {
                int length = lengths[k];
                long h = prefix[i + length] - prefix[i] * powers[k];
                if (keys.contains(key(h, length))) {
                    end = Math.max(end, i + length);
                    break; // the longest needle here; shorter ones are inside it
                }
            }
            covered[i] = i < end;
        }
        return covered;
    }

    private long hash(String s) {
        long h = 0;
        for (int i = 0; i < s.length(); i++) {
            h = h * base + s.charAt(i);
        }
        return h;
    }

    private long power(int exponent) {
        long result = 1;
        long b = base;
        for (int e = exponent; e > 0; e >>= 1) {
            if ((e & 1) != 0) {
                result *= b;
            }
            b *= b;
        }
        return result;
    }

    /** Binary search in the longest-first array; like {@code Arrays.binarySearch}'s result. */
    private int indexOfLength(int length) {
        int lo = 0;
        int hi = lengths.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (lengths[mid] > length) {
                lo = mid + 1;
            } else if (lengths[mid] < length) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    private static int[] insert(int[] a, int at, int value) {
        int[] out = new int[a.length + 1];
        System.arraycopy(a, 0, out, 0, at);
        out[at] = value;
        System.arraycopy(a, at, out, at + 1, a.length - at);
        return out;
    }

    private static long key(long hash, int length) {
        return hash * 0x9E3779B97F4A7C15L + length;
    }

    /** An open-addressing set of longs: no boxing on the hot path of every masked line. */
    private static final class LongSet {
        private long[] slots = new long[64];
        private boolean hasZero;
        private int size;

        void add(long key) {
            if (key == 0) {
                if (!hasZero) {
                    hasZero = true;
                    size++;
                }
                return;
            }
            if (2 * (size + 1) > slots.length) {
                grow();
            }
            if (put(slots, key)) {
                size++;
            }
        }

        boolean contains(long key) {
            if (key == 0) {
                return hasZero;
            }
            int mask = slots.length - 1;
            for (int i = slot(key, mask); ; i = (i + 1) & mask) {
                if (slots[i] == key) {
                    return true;
                }
                if (slots[i] == 0) {
                    return false;
                }
            }
        }

        private static boolean put(long[] table, long key) {
            int mask = table.length - 1;
            for (int i = slot(key, mask); ; i = (i + 1) & mask) {
                if (table[i] == key) {
                    return false;
                }
                if (table[i] == 0) {
                    table[i] = key;
                    return true;
                }
            }
        }

        private void grow() {
            long[] bigger = new long[slots.length * 2];
            for (long k : slots) {
                if (k != 0) {
                    put(bigger, k);
                }
            }
            slots = bigger;
        }

        private static int slot(long key, int mask) {
            // MurmurHash3's finalizer: polynomial hashes of similar texts share their low bits.
            long h = key;
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            h *= 0xc4ceb9fe1a85ec53L;
            h ^= h >>> 33;
            return (int) h & mask;
        }
    }
}
