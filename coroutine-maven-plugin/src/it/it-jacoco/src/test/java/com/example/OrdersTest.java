package com.example;

import static dev.coroutine.Coroutines.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class OrdersTest {
  @Test
  void process_pricesChecksAndSummarizes_everyBranchTaken() {
    List<String> out = run(Orders.process(List.of("tea", "giftbox", "chocolate", "jam")));
    assertEquals(
        List.of("tea=3", "giftbox:free", "chocolate:too dear", "jam=3", "total 600 avg 1.5"), out);
  }

  @Test
  void audited_runsItsFinallyBlock_onTheNormalPathOnly() {
    assertEquals("3;audited", run(Orders.audited("tea")));
  }

  @Test
  void process_noItems_onlyTheSummary() {
    assertEquals(List.of("total 0 avg 0.0"), run(Orders.process(List.of())));
  }
}
