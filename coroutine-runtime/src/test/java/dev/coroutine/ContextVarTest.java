package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * ContextVar and Context outside event loops: asyncio's test_context.py cases for get/set/reset,
 * tokens, Context.run and copying, on plain threads (each test runs in a fresh Context so that what
 * it sets stays there).
 */
class ContextVarTest {

  @Test
  void get_unsetWithoutDefault_throwsNoSuchElement_namingTheVariable() {
    ContextVar<String> v = new ContextVar<>("request_id");
    new Context()
        .run(
            () ->
                assertThatThrownBy(v::get)
                    .isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("request_id"));
  }

  @Test
  void get_unset_returnsTheDefault_butAFallbackTakesPrecedence() {
    ContextVar<String> v = new ContextVar<>("v", "dflt");
    new Context()
        .run(
            () -> {
              assertThat(v.get()).isEqualTo("dflt");
              assertThat(v.get("fallback")).isEqualTo("fallback");
              v.set("x");
              assertThat(v.get()).isEqualTo("x");
              assertThat(v.get("fallback")).isEqualTo("x");
            });
  }

  @Test
  void nullDefault_andNullValues_areValues() {
    ContextVar<String> v = new ContextVar<>("v", null);
    new Context()
        .run(
            () -> {
              assertThat(v.get()).isNull();
              v.set(null);
              assertThat(v.get("fallback")).isNull();
              assertThat(Context.copyContext().containsKey(v)).isTrue();
            });
  }

  @Test
  void set_returnsATokenWithTheOldValue_resetRestoresIt() {
    ContextVar<Integer> v = new ContextVar<>("v");
    new Context()
        .run(
            () -> {
              ContextVar.Token<Integer> t1 = v.set(1);
              assertThat(t1.getVar()).isSameAs(v);
              assertThat(t1.hasOldValue()).isFalse();
              assertThatThrownBy(t1::getOldValue).isInstanceOf(NoSuchElementException.class);
              ContextVar.Token<Integer> t2 = v.set(2);
              assertThat(t2.hasOldValue()).isTrue();
              assertThat(t2.getOldValue()).isEqualTo(1);
              v.reset(t2);
              assertThat(v.get()).isEqualTo(1);
              v.reset(t1);
              assertThat(v.get(-1)).isEqualTo(-1); // unset again, not set to null
              assertThat(Context.copyContext().containsKey(v)).isFalse();
            });
  }

  @Test
  void reset_tokenUsedTwice_throwsIllegalState() {
    ContextVar<Integer> v = new ContextVar<>("v");
    new Context()
        .run(
            () -> {
              ContextVar.Token<Integer> t = v.set(1);
              v.reset(t);
              assertThatThrownBy(() -> v.reset(t))
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessageContaining("has already been used once");
            });
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void reset_tokenOfAnotherVariable_throwsIllegalArgument_andLeavesTheTokenUsable() {
    ContextVar<Integer> v = new ContextVar<>("v");
    ContextVar<Integer> w = new ContextVar<>("w");
    new Context()
        .run(
            () -> {
              ContextVar.Token<Integer> t = v.set(1);
              assertThatThrownBy(() -> w.reset(t))
                  .isInstanceOf(IllegalArgumentException.class)
                  .hasMessageContaining("created by a different ContextVar");
              v.reset(t); // still unused
              assertThat(v.get(0)).isZero();
            });
  }

  @Test
  void reset_tokenFromAnotherContext_throwsIllegalArgument() {
    ContextVar<Integer> v = new ContextVar<>("v");
    Context a = new Context();
    ContextVar.Token<Integer> t = a.run(() -> v.set(1));
    new Context()
        .run(
            () ->
                assertThatThrownBy(() -> v.reset(t))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("created in a different Context"));
    a.run(() -> v.reset(t)); // in its own context it works
    assertThat(a.containsKey(v)).isFalse();
  }

  @Test
  void tokenClose_resetsAtTheEndOfTryWithResources() {
    ContextVar<String> v = new ContextVar<>("v", "outer");
    new Context()
        .run(
            () -> {
              try (ContextVar.Token<String> t = v.set("inner")) {
                assertThat(v.get()).isEqualTo("inner");
              }
              assertThat(v.get()).isEqualTo("outer");
            });
  }

  @Test
  void run_changesStayInTheContext_andTheCallerSeesItsOwn() {
    ContextVar<String> v = new ContextVar<>("v", "none");
    Context outer = new Context();
    Context inner = new Context();
    outer.run(
        () -> {
          v.set("outer");
          inner.run(() -> v.set("inner"));
          assertThat(v.get()).isEqualTo("outer");
        });
    assertThat(inner.get(v)).isEqualTo("inner");
    assertThat(outer.get(v)).isEqualTo("outer");
    assertThat(inner.run(() -> v.get())).isEqualTo("inner"); // kept for the next run
  }

  @Test
  void copyContext_isASnapshot_laterChangesOfEitherSideAreNotShared() {
    ContextVar<Integer> v = new ContextVar<>("v");
    new Context()
        .run(
            () -> {
              v.set(1);
              Context copy = Context.copyContext();
              v.set(2);
              assertThat(copy.get(v)).isEqualTo(1);
              copy.run(() -> v.set(3));
              assertThat(v.get()).isEqualTo(2);
              assertThat(copy.get(v)).isEqualTo(3);
              assertThat(copy.copy().get(v)).isEqualTo(3);
            });
  }

  @Test
  void run_alreadyEnteredOnThisThread_throwsIllegalState() {
    Context c = new Context();
    c.run(
        () ->
            assertThatThrownBy(() -> c.run(() -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is already entered"));
    c.run(() -> {}); // left: can be entered again
  }

  @Test
  void run_enteredOnAnotherThread_throwsIllegalState() throws Exception {
    Context c = new Context();
    CountDownLatch in = new CountDownLatch(1);
    CountDownLatch out = new CountDownLatch(1);
    Thread t =
        new Thread(
            () ->
                c.run(
                    () -> {
                      in.countDown();
                      try {
                        out.await(10, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
    t.start();
    assertThat(in.await(10, TimeUnit.SECONDS)).isTrue();
    try {
      assertThatThrownBy(() -> c.run(() -> {})).isInstanceOf(IllegalStateException.class);
    } finally {
      out.countDown();
      t.join(10_000);
    }
  }

  @Test
  void run_actionThrows_contextIsLeftAndTheExceptionPassesUnchanged() {
    ContextVar<Integer> v = new ContextVar<>("v", 0);
    Context c = new Context();
    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(
            () ->
                c.run(
                    () -> {
                      v.set(1);
                      throw boom;
                    }))
        .isSameAs(boom);
    assertThat(c.get(v)).isEqualTo(1);
    new Context().run(() -> assertThat(v.get()).isZero());
    c.run(() -> {}); // not left entered
  }

  @Test
  void eachThread_hasItsOwnContext() throws Exception {
    ContextVar<String> v = new ContextVar<>("v", "unset");
    AtomicReference<String> seenThere = new AtomicReference<>();
    new Context()
        .run(
            () -> {
              v.set("here");
              Thread t = new Thread(() -> seenThere.set(v.get()));
              t.start();
              try {
                t.join(10_000);
              } catch (InterruptedException e) {
                throw new AssertionError(e);
              }
            });
    assertThat(seenThere.get()).isEqualTo("unset");
  }

  @Test
  void mapping_containsGetSizeToMap() {
    ContextVar<Integer> a = new ContextVar<>("a", 10);
    ContextVar<Integer> b = new ContextVar<>("b");
    Context c = new Context();
    c.run(
        () -> {
          a.set(1);
          b.set(2);
        });
    assertThat(c.size()).isEqualTo(2);
    assertThat(c.containsKey(a)).isTrue();
    assertThat(c.get(a)).isEqualTo(1);
    assertThat(c.toMap()).containsEntry(a, 1).containsEntry(b, 2).hasSize(2);
    assertThat(c.toString()).contains("a=1").contains("b=2");
    Context empty = new Context();
    assertThat(empty.containsKey(a)).isFalse();
    assertThatThrownBy(() -> empty.get(a)).isInstanceOf(NoSuchElementException.class);
    assertThat(empty.get(a, 5)).isEqualTo(5); // the variable's default does not count here
  }

  @Test
  void manyVariables_inOneContext_allKept() {
    List<ContextVar<Integer>> vars = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      vars.add(new ContextVar<>("v" + i));
    }
    Context c = new Context();
    c.run(() -> vars.forEach(v -> v.set(vars.indexOf(v))));
    Context copy = c.copy();
    c.run(() -> vars.get(3).set(-3));
    for (int i = 0; i < vars.size(); i++) {
      assertThat(copy.get(vars.get(i))).isEqualTo(i);
      assertThat(c.get(vars.get(i))).isEqualTo(i == 3 ? -3 : i);
    }
  }

  @Test
  void listener_isToldOfSetResetEnterAndExit_andMirrorCopiesIntoAThreadLocalStore() {
    ContextVar<String> requestId = new ContextVar<>("request_id");
    FakeMdc mdc = new FakeMdc();
    ContextListener mirror =
        ContextListener.mirror(java.util.Map.of("requestId", requestId), mdc::put, mdc::remove);
    Context.addListener(mirror);
    try {
      Context c = new Context();
      c.run(
          () -> {
            assertThat(mdc.get("requestId")).isNull();
            try (ContextVar.Token<String> t = requestId.set("r-1")) {
              assertThat(mdc.get("requestId")).isEqualTo("r-1");
              new Context().run(() -> assertThat(mdc.get("requestId")).isNull());
              assertThat(mdc.get("requestId")).isEqualTo("r-1");
            }
            assertThat(mdc.get("requestId")).isNull();
            requestId.set("r-2");
          });
      assertThat(mdc.get("requestId")).isNull(); // left c
      c.run(() -> assertThat(mdc.get("requestId")).isEqualTo("r-2"));
    } finally {
      assertThat(Context.removeListener(mirror)).isTrue();
    }
    assertThat(Context.removeListener(mirror)).isFalse();
  }

  @Test
  void listener_thatThrows_doesNotBreakTheSwitch() {
    ContextListener broken =
        () -> {
          throw new IllegalStateException("broken listener");
        };
    ContextVar<Integer> v = new ContextVar<>("v");
    Context.addListener(broken);
    try {
      Context c = new Context();
      c.run(() -> v.set(1));
      assertThat(c.get(v)).isEqualTo(1);
    } finally {
      Context.removeListener(broken);
    }
  }

  @Test
  void toString_namesTheVariableAndItsDefault() {
    assertThat(new ContextVar<>("a").toString()).isEqualTo("ContextVar[a]");
    assertThat(new ContextVar<>("b", 1).toString()).isEqualTo("ContextVar[b default=1]");
  }
}
