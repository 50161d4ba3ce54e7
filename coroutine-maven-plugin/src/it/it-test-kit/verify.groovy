def log = new File(basedir, 'build.log').text
def marked = { String path ->
  new String(new File(basedir, path).bytes, 'ISO-8859-1').contains('dev.coroutine.Instrumented')
}
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.RetrierTest.xml').text

// instrument-tests rewrote the test class; both engines ran their tests, and all passed
assert marked('target/test-classes/com/example/RetrierTest.class')
assert log.contains('Tests run: 3, Failures: 0, Errors: 0, Skipped: 0')
assert report.contains('testcase name="anHourOfTimeouts_takesNoRealHour"')
assert report.contains('testcase name="advanceTimeBy_looksAtTheRetrierMidway"')
assert report.contains('testcase name="plainJupiterTest_runsTheSameWithRunTest"')

// README's test-kit example is this test class, character for character: keep them equal
def readme = new File(repositoryRoot, 'README.md').text
def test = new File(basedir, 'src/test/java/com/example/RetrierTest.java').text
assert readme.contains('```java\n' + test + '```') : "README.md's test-kit example differs from src/it/it-test-kit/src/test/java/com/example/RetrierTest.java; keep them equal"
def tested = new File(basedir, 'src/main/java/com/example/Retrier.java').text
assert readme.contains('```java\n' + tested + '```') : "README.md's Retrier differs from src/it/it-test-kit/src/main/java/com/example/Retrier.java; keep them equal"
true
