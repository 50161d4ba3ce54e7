def log = new File(basedir, "build.log").text
def marked = { String path ->
  new String(new File(basedir, path).bytes, "ISO-8859-1").contains("dev.coroutine.Instrumented")
}

// found from outside: a typo in an include passed silently and the classes ran unrewritten
assert log.contains("[WARNING] coroutine: includes [com/exmple/**] and excludes [] match none of the 1 class file in target/classes: nothing was rewritten")
assert log.contains("coroutine: target/classes: 0 classes scanned")
assert !marked("target/classes/com/example/Good.class")
true
