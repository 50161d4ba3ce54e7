package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The transformer knows the runtime only by the strings of {@link Protocol}: each member it names
 * exists on the runtime with that descriptor and the access the generated code needs, and every
 * string of Protocol is either part of such a member or a runtime type that exists. A rename or a
 * narrowed access in the runtime fails here, not as a {@code NoSuchMethodError} in user code.
 */
class ProtocolContractTest {
  /** Protocol strings that name no runtime class or member (a class-file attribute's name). */
  private static final Set<String> NOT_RUNTIME = Set.of(Protocol.MARKER_ATTRIBUTE);

  @Test
  void everyProtocolMember_existsOnTheRuntimeWithItsDescriptorAndAccess() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Protocol.Member m : Protocol.MEMBERS) {
      Class<?> owner = runtimeClass(m.owner());
      int modifiers;
      if (m.desc().startsWith("(")) {
        Method found = null;
        for (Method candidate : owner.getDeclaredMethods()) {
          if (candidate.getName().equals(m.name())
              && Type.getMethodDescriptor(candidate).equals(m.desc())) {
            found = candidate;
          }
        }
        if (found == null) {
          wrong.add(m + ": no such method on " + owner.getName());
          continue;
        }
        modifiers = found.getModifiers();
      } else {
        Field f = owner.getDeclaredField(m.name());
        if (!Type.getDescriptor(f.getType()).equals(m.desc())) {
          wrong.add(m + ": field is " + Type.getDescriptor(f.getType()));
          continue;
        }
        modifiers = f.getModifiers();
      }
      if ((modifiers & m.access()) != m.access()) {
        wrong.add(m + ": modifiers are " + Modifier.toString(modifiers));
      }
      if (!Modifier.isPublic(owner.getModifiers())) {
        wrong.add(m + ": " + owner.getName() + " is not public");
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void saveCallLimits_areTheRuntimes_andItHasNoLongerForm() throws Exception {
    Class<?> save = runtimeClass(Protocol.SAVE);
    assertThat(save.getField("MAX_REFS").getInt(null)).isEqualTo(Protocol.SAVE_MAX_REFS);
    assertThat(save.getField("MAX_PRIMS").getInt(null)).isEqualTo(Protocol.SAVE_MAX_PRIMS);
    // every public method of Save is one the transformer knows (a form past the limits would be
    // dead code the runtime carries)
    Set<String> known = new HashSet<>();
    for (Protocol.Member m : Protocol.MEMBERS) {
      known.add(m.name() + m.desc());
    }
    for (Method m : save.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers())) {
        assertThat(known).contains(m.getName() + Type.getMethodDescriptor(m));
      }
    }
  }

  @Test
  void everyProtocolString_isAMemberPartOrAnExistingRuntimeType() throws Exception {
    Set<String> inMembers = new HashSet<>();
    for (Protocol.Member m : Protocol.MEMBERS) {
      inMembers.add(m.owner());
      inMembers.add(m.name());
      inMembers.add(m.desc());
    }
    List<String> strings = new ArrayList<>();
    for (Field f : Protocol.class.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      f.setAccessible(true);
      if (f.getType() == String.class) {
        strings.add((String) f.get(null));
      } else if (f.getType() == String[].class) {
        strings.addAll(List.of((String[]) f.get(null)));
      }
    }
    assertThat(strings).as("Protocol's strings").hasSizeGreaterThan(20);
    List<String> uncovered = new ArrayList<>();
    for (String s : strings) {
      if (inMembers.contains(s) || NOT_RUNTIME.contains(s)) {
        continue;
      }
      if (s.startsWith("L") && s.endsWith(";")) {
        runtimeClass(Type.getType(s).getInternalName()); // throws if missing
      } else if (s.contains("/")) {
        runtimeClass(s);
      } else {
        uncovered.add(s);
      }
    }
    assertThat(uncovered).as("strings neither in Protocol.MEMBERS nor a type").isEmpty();
  }

  @Test
  void annotationsTheTransformerReads_areKeptInClassFiles() throws Exception {
    for (String desc : List.of(Protocol.ASYNC_DESC, Protocol.CATCHES_CANCELLATION_DESC)) {
      Class<?> a = runtimeClass(Type.getType(desc).getInternalName());
      assertThat(a.isAnnotation()).as(desc).isTrue();
      Retention r = a.getAnnotation(Retention.class);
      assertThat(r).as(desc + " retention").isNotNull();
      assertThat(r.value()).as(desc).isNotEqualTo(RetentionPolicy.SOURCE);
    }
  }

  @Test
  void bodyInterface_isTheFunctionalInterfaceTheStubBinds() throws Exception {
    Class<?> body = runtimeClass(Protocol.BODY);
    assertThat(body.isInterface()).isTrue();
    List<Method> abstracts = new ArrayList<>();
    for (Method m : body.getMethods()) {
      if (Modifier.isAbstract(m.getModifiers())) {
        abstracts.add(m);
      }
    }
    assertThat(abstracts).hasSize(1);
    assertThat(abstracts.get(0).getName()).isEqualTo(Protocol.BODY_METHOD);
    assertThat(Opcodes.ACC_PUBLIC & abstracts.get(0).getModifiers()).isNotZero();
  }

  private static Class<?> runtimeClass(String internalName) throws ClassNotFoundException {
    return Class.forName(
        internalName.replace('/', '.'), false, ProtocolContractTest.class.getClassLoader());
  }
}
