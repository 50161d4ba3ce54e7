def log = new File(basedir, "build.log").text
def marked = { String path ->
  new String(new File(basedir, path).bytes, "ISO-8859-1").contains("dev.coroutine.Instrumented")
}
def misuseLine = { String source ->
  def lines = new File(basedir, source).readLines()
  lines.findIndexOf { it.contains("// MISUSE") } + 1
}

def line = misuseLine("src/main/java/com/example/Foo.java")
assert line > 0
assert log.contains("[ERROR] Foo.java:${line}: ")
assert log.contains("(in com.example.Foo.notAsync)")
// a damaged class file (a resource copied into target/classes) is said to be one, beside the misuse
assert log.contains("[ERROR] cannot read target/classes/com/example/Broken.class: truncated constant pool")
assert log.contains("1 class refused, 1 class file unreadable; nothing was written")
assert log.contains("BUILD FAILURE")
// all or nothing: the good class was not written either, and no state was saved
assert !marked("target/classes/com/example/Good.class")
assert !marked("target/classes/com/example/Foo.class")
assert !new File(basedir, "target/coroutine-maven-plugin/instrument.state").exists()
assert new File(basedir, "target/classes").listFiles().every { !it.name.endsWith(".tmp") }
true
