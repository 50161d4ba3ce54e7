// The tests ran with the agent, which rewrote the project's classes and left Mockito's mock classes
// alone (they copy @Async onto overrides that only dispatch to Mockito).
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 4, Failures: 0, Errors: 0, Skipped: 0') : 'the mock tests did not all pass'
assert log.contains('com.example.Greeter: rewrote') : 'the agent did not rewrite Greeter'
assert !(log =~ /MockitoMock\S*: rewrote/) : 'the agent rewrote a Mockito mock class'
true
