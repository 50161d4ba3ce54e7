package dev.coroutine.bench.kt

import java.util.function.IntConsumer
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield

/**
 * The workloads in kotlinx.coroutines, each on one thread: `runBlocking` turns the calling thread
 * into the event loop every coroutine of the batch runs on (the Kotlin counterpart of our `run`).
 * Same checksums as the other systems.
 */
object KotlinWorkloads {
  /** The probe's "before any sleeper" phase, as dev.coroutine.bench.Phase.BASELINE. */
  private const val BASELINE = -1

  /** W1: `yield()` n times; returns n. */
  @JvmStatic
  fun yieldCycle(n: Int): Int = runBlocking {
    for (i in 0 until n) {
      yield()
    }
    n
  }

  /** W1': two coroutines `yield()` n times each, in turn; returns 2n. */
  @JvmStatic
  fun yieldPair(n: Int): Int = runBlocking {
    val other = async {
      for (i in 0 until n) {
        yield()
      }
      n
    }
    for (i in 0 until n) {
      yield()
    }
    n + other.await()
  }

  /** W2: n round trips through two Channel(1); returns sum(i + 1). */
  @JvmStatic
  fun pingPong(n: Int): Long = runBlocking {
    val ping = Channel<Int>(1)
    val pong = Channel<Int>(1)
    launch {
      for (i in 0 until n) {
        pong.send(ping.receive() + 1)
      }
    }
    var sum = 0L
    for (i in 0 until n) {
      ping.send(i)
      sum += pong.receive()
    }
    sum
  }

  /** W3: n coroutines each `delay(millis)` then bump a counter; returns the count. */
  @JvmStatic
  fun sleepers(n: Int, millis: Long, probe: IntConsumer?): Int {
    var woken = 0
    runBlocking {
      probe?.accept(BASELINE)
      for (i in 0 until n) {
        launch {
          delay(millis)
          woken++
        }
      }
      yield() // every child runs to its delay before this resumes
      probe?.accept(woken)
    }
    return woken
  }

  /** W4: gathers n children (`async`, yield once, return the index) with awaitAll; the sum. */
  @JvmStatic
  fun gatherFanOut(n: Int): Long = runBlocking {
    val children = (0 until n).map { i ->
      async {
        yield()
        i
      }
    }
    var sum = 0L
    for (v in children.awaitAll()) {
      sum += v
    }
    sum
  }

  /** W5: awaits completed CompletableDeferreds (holding 1, eight in turn) n times; returns n. */
  @JvmStatic
  fun fastPath(n: Int): Long = runBlocking {
    val done = Array(8) { CompletableDeferred(1) }
    var sum = 0L
    for (i in 0 until n) {
      sum += done[i and 7].await()
    }
    sum
  }

  /** W6: reps chains of depth nested suspend calls, the innermost yields; reps * depth. */
  @JvmStatic
  fun callDepth(reps: Int, depth: Int): Long = runBlocking {
    var sum = 0L
    for (r in 0 until reps) {
      sum += nest(depth)
    }
    sum
  }

  private suspend fun nest(depth: Int): Int {
    if (depth == 0) {
      yield()
      return 0
    }
    return nest(depth - 1) + 1
  }
}
