package dev.coroutine.transform;

import static dev.coroutine.transform.Samples.expect;
import static dev.coroutine.transform.Samples.log;
import static dev.coroutine.transform.Samples.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A value whose static type is a class the rewritten class cannot access (package-private in
 * another package, reachable through a public method) must survive a suspension: restoring it must
 * not name the inaccessible class.
 */
class AccessTest {
  static Class<?> c;

  @BeforeAll
  static void load() {
    c = Samples.load("Access");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void valueOfInaccessibleClassOnTheStack_survivesSuspension(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "inaccessibleTypeOnTheStack", log, s)).isEqualTo("hidden1");
    assertThat(log).isEqualTo(expect(s, "~1"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void valueOfInaccessibleClassInALocal_survivesSuspension(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "inaccessibleTypeInALocal", log, s)).isEqualTo("hidden2");
    assertThat(log).isEqualTo(expect(s, "~2"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void valueOfInaccessibleClassUsedAsItsPublicSuperclass_survivesSuspension(boolean s)
      throws Throwable {
    // the restore casts to the public superclass; the resume path's type then merges with the
    // first run's (the hidden class) to that superclass, not to Object: a VerifyError before
    // (found from outside)
    List<String> log = log();
    assertThat(run(c, "inaccessibleTypeUsedAsItsPublicSuperclass", log, s)).isEqualTo("hidden3");
    assertThat(log).isEqualTo(expect(s, "~3"));
  }
}
