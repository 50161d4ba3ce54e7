def log = new File(basedir, 'build.log').text
def marked = { String path ->
  new String(new File(basedir, path).bytes, 'ISO-8859-1').contains('dev.coroutine.Instrumented')
}
// javac rewrote the classes as it wrote them; the Maven plugin never ran
assert !log.contains('coroutine: target/classes')
assert marked('target/classes/com/example/Calc.class')
assert marked('target/test-classes/com/example/CalcTest.class')
assert log.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0')
true
