package com.example;

import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.mockito.exceptions.verification.WantedButNotInvoked;

class MockedCoroutinesTest {
  @Test
  void stubbedInterfaceCoroutine_returnsWhatItWasGiven() {
    Repo repo = mock(Repo.class);
    when(repo.load(1)).thenReturn(done("ada"));
    assertEquals("hello ada", run(new Greeter(repo).greet(1)));
    verify(repo).load(1);
  }

  @Test
  void verify_ofACallNeverMade_fails() {
    Repo repo = mock(Repo.class);
    assertThrows(WantedButNotInvoked.class, () -> verify(repo).load(8));
  }

  @Test
  void realDefaultMethod_awaitsTheStubbedOnes() {
    Repo repo = mock(Repo.class, CALLS_REAL_METHODS);
    when(repo.load(1)).thenReturn(done("a"));
    when(repo.load(2)).thenReturn(done("b"));
    assertEquals("a,b", run(repo.loadPair(1)));
    verify(repo, times(2)).load(org.mockito.ArgumentMatchers.anyInt());
  }

  @Test
  void spy_runsTheRealCoroutine() {
    Repo repo = mock(Repo.class);
    when(repo.load(3)).thenReturn(done("grace"));
    Greeter greeter = spy(new Greeter(repo));
    assertEquals("hello grace", run(greeter.greet(3)));
    verify(greeter).greet(3);
  }
}
