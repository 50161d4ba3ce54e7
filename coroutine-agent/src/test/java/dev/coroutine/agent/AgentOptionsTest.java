package dev.coroutine.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {
  @Test
  void nullOrBlank_givesTheDefaults() {
    assertThat(AgentOptions.parse(null)).isEqualTo(AgentOptions.defaults());
    assertThat(AgentOptions.parse(" ")).isEqualTo(new AgentOptions(false, false, null));
  }

  @Test
  void allOptions_areParsed_inAnyOrder_withSpacesAndEmptyItems() {
    assertThat(AgentOptions.parse("dump=/tmp/x, failFast,,verbose"))
        .isEqualTo(new AgentOptions(true, true, Path.of("/tmp/x")));
  }

  @Test
  void booleanOptions_acceptExplicitValues() {
    assertThat(AgentOptions.parse("verbose=false,failFast=TRUE"))
        .isEqualTo(new AgentOptions(false, true, null));
  }

  @Test
  void unknownOption_isAnError_thatListsTheValidOptions() {
    assertThatThrownBy(() -> AgentOptions.parse("verbose,failfast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown option 'failfast'")
        .hasMessageContaining("failFast")
        .hasMessageContaining("dump=<dir>");
  }

  @Test
  void dumpWithoutFolder_andBadBoolean_areErrors() {
    assertThatThrownBy(() -> AgentOptions.parse("dump"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dump needs a folder");
    assertThatThrownBy(() -> AgentOptions.parse("verbose=yes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("true or false");
  }
}
