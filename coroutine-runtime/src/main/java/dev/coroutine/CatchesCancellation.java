package dev.coroutine;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Says that a method's (or every method of a class's) broad {@code catch} around an {@code await}
 * handles cancellation on purpose, which silences the transformer's build-time warning about it.
 *
 * <p>A cancelled task gets {@link java.util.concurrent.CancellationException} thrown at its current
 * await. A {@code catch (Exception e)}, {@code catch (Throwable t)}, {@code catch
 * (CancellationException e)} or {@code finally { return ...; }} there that does not throw it again
 * makes the task go on as if it had not been cancelled ({@code waitFor} then cannot time out), so
 * the plugin and the agent warn with the file and line. Where that is what you mean, annotate the
 * method (it covers the lambdas inside it too) or the class. Kept in the class file, not at run
 * time.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface CatchesCancellation {}
