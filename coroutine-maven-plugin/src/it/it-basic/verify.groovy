def log = new File(basedir, 'build.log').text
def marked = { String path ->
  new String(new File(basedir, path).bytes, 'ISO-8859-1').contains('dev.coroutine.Instrumented')
}

assert log.contains('coroutine: target/classes: 2 classes scanned (0 unchanged since the last run), 1 class rewritten (1 method), 0 refused')
assert log.contains('coroutine: target/test-classes: 1 class scanned (0 unchanged since the last run), 1 class rewritten (1 method), 0 refused')
assert log.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0')
assert log.contains('add(1, 2) = 3')
assert marked('target/classes/com/example/Calc.class')
assert !marked('target/classes/com/example/Main.class')
assert marked('target/test-classes/com/example/CalcTest.class')
true
