# frozen_string_literal: true

require "test_helper"

# The service's own log never carries a password, a SHA-1 of one, a context value or the caller key the tests sent.
#
# It must run after every other test: Minitest runs the suites marked parallelize_me! after all the serial ones
# (Minitest.__run), and this is the only one, so it runs last. It stops the service first, so the log is complete.
class ServiceLogTest < Minitest::Test
  include TestSupport
  parallelize_me!

  def test_the_service_log_carries_no_secret_the_tests_sent
    service.stop
    log = File.read(service.log_path)
    assert_match(/pwcheck .* started in/, log)         # the service's own log, from its start ...
    assert_match(/pwcheck stopped in/, log)            # ... to its end
    assert_operator SECRETS.uniq.size, :>, 50          # the other tests ran first and sent these
    leaks = (SECRETS.uniq + [API_KEY]).select { |value| log.include?(value) }
    assert_empty leaks, "the service's log carries values the tests sent, in:\n" +
                        log.lines.select { |line| leaks.any? { |value| line.include?(value) } }.join
  end
end
