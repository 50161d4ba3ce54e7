package dev.coroutine.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time byte search of StreamReader against a byte-by-byte loop. */
class ByteSearchTest {

  @Test
  void indexOfByte_matchesAPlainLoop_onRandomArraysAndRanges() {
    Random rnd = new Random(42);
    for (int k = 0; k < 20_000; k++) {
      byte[] a = new byte[rnd.nextInt(70)];
      int alphabet = 1 + rnd.nextInt(4); // few values: matches at every position, often
      for (int i = 0; i < a.length; i++) {
        a[i] =
            (byte) (rnd.nextBoolean() ? rnd.nextInt(alphabet) - 1 : 0x80 + rnd.nextInt(alphabet));
      }
      int from = a.length == 0 ? 0 : rnd.nextInt(a.length + 1);
      int to = from + rnd.nextInt(a.length - from + 1);
      byte b =
          (byte) (rnd.nextBoolean() ? rnd.nextInt(alphabet) - 1 : 0x80 + rnd.nextInt(alphabet));
      int expected = -1;
      for (int i = from; i < to; i++) {
        if (a[i] == b) {
          expected = i;
          break;
        }
      }
      assertThat(StreamReader.indexOfByte(a, from, to, b)).as("case %d", k).isEqualTo(expected);
    }
  }
}
