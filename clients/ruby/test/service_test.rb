# frozen_string_literal: true

require "test_helper"

# The client against the packaged service and the fake upstream (bench/sample-passwords.txt: "password" 1000,
# "123456" 1001, "123456789" 1002, "qwerty" 1003, ... "trustno1" 1018).
class ServiceTest < Minitest::Test
  include TestSupport

  def test_breached_password_at_login_with_mfa_resets_after_mfa
    result = client.check(secret("password"), flow: :login, mfa: true)
    assert_equal :breached, result.verdict
    assert_equal 1000, result.count
    assert_equal :reset_after_mfa, result.action
    assert_equal [Pwcheck::Reason.new(code: :breached, count: 1000)], result.reasons
    assert_includes %i[upstream cache], result.source
    assert result.reset_after_mfa?
    refute result.proceed?
    refute result.stop?
    assert_nil result.error
  end

  def test_breached_password_at_login_without_mfa_requires_reset
    result = client.check(secret("password"), flow: "login")
    assert_equal [:breached, 1000, :require_reset, []], [result.verdict, result.count, result.action, result.reasons]
    assert result.stop?
    single_factor = client.check(secret("password"), flow: :login, mfa: false)
    assert_equal :require_reset, single_factor.action
    assert_equal [Pwcheck::Reason.new(code: :breached, count: 1000)], single_factor.reasons
  end

  def test_short_breached_password_at_registration_with_its_username
    result = client.check(secret("qwerty"), flow: :registration, context: { username: secret("qwerty") })
    assert_equal [:breached, 1003, :reject], [result.verdict, result.count, result.action]
    assert_equal [
      Pwcheck::Reason.new(code: :breached, count: 1003),
      Pwcheck::Reason.new(code: :too_short, min: 8),
      Pwcheck::Reason.new(code: :context_word, field: :username),
    ], result.reasons
    assert_equal %i[breached too_short context_word], result.reasons.map(&:code)
    assert_equal :username, result.reasons.last.field
    single_factor = client.check(secret("qwerty"), flow: :registration, context: { "username" => "qwerty" },
                                                   mfa: false)
    assert_equal [nil, 15, nil], single_factor.reasons.map(&:min)
  end

  def test_clean_passphrase
    passphrase = clean_passphrase
    result = client.check(passphrase, flow: :registration)
    assert_equal [:clean, 0, :accept, []], [result.verdict, result.count, result.action, result.reasons]
    assert result.clean?
    assert result.proceed?
    assert_equal :upstream, result.source # its range was fetched for this check
    assert_equal :cache, client.check(passphrase, flow: :reset).source
    with_context = client.check(passphrase, flow: :reset, context: { username: secret("someone-else") }, mfa: false)
    assert_equal [:clean, :accept, []], [with_context.verdict, with_context.action, with_context.reasons]
  end

  def test_without_a_flow_there_is_no_action
    result = client.check(secret("123456"))
    assert_equal [:breached, 1001, nil, []], [result.verdict, result.count, result.action, result.reasons]
    assert_equal [:clean, 0, nil], client.check(clean_passphrase).then { |r| [r.verdict, r.count, r.action] }
  end

  def test_check_sha1
    sha1 = Digest::SHA1.hexdigest(secret("password"))
    assert_equal [:breached, 1000, nil], client.check_sha1(sha1.upcase).then { |r| [r.verdict, r.count, r.action] }
    assert_equal [:breached, 1000, :reset_after_mfa],
                 client.check_sha1(sha1, flow: :login, mfa: true).then { |r| [r.verdict, r.count, r.action] }
    assert_equal :reject, client.check_sha1(sha1, flow: :registration).action
    clean = client.check_sha1(Digest::SHA1.hexdigest(clean_passphrase), flow: :registration)
    assert_equal [:clean, 0, :accept], [clean.verdict, clean.count, clean.action]
  end

  def test_api_key_flow
    breached = client.check(secret("trustno1"), flow: :api_key)
    assert_equal [:breached, 1018, :reject], [breached.verdict, breached.count, breached.action]
    with_mfa = client.check(secret("trustno1"), flow: "api-key", mfa: true)
    assert_equal [:breached, 1018, :reset_after_mfa], [with_mfa.verdict, with_mfa.count, with_mfa.action]
    assert_equal [:clean, :accept], client.check(clean_passphrase, flow: :api_key).then { |r| [r.verdict, r.action] }
    # As at login, no length or context rule: a short password that is not breached is accepted.
    short = client.check(secret("Zq9!x"), flow: :api_key, mfa: false, context: { username: secret("zq9!x") })
    assert_equal [:clean, :accept, []], [short.verdict, short.action, short.reasons]
  end

  def test_context_words_of_each_field_and_the_service
    context = { username: secret("marigold"), email: secret("quill.writer@example.org"), name: secret("Xanthe Lovelace") }
    fields = { "Marigold2024" => :username, "Quill.Writer7" => :email, "Lovelace99!" => :name,
               "Rubygems2024" => :service }.to_h do |password, _|
      result = client.check(secret(password), flow: :registration, context: context)
      assert_equal :reject, result.action, password
      [password, result.reasons.map { |r| [r.code, r.field] }]
    end
    assert_equal({ "Marigold2024" => [[:context_word, :username]], "Quill.Writer7" => [[:context_word, :email]],
                   "Lovelace99!" => [[:context_word, :name]], "Rubygems2024" => [[:context_word, :service]] }, fields)
  end

  def test_too_long_at_registration
    result = client.check(secret("#{'long ' * 16}passphrase"), flow: :registration) # 90 bytes; the limit is 72 here
    assert_equal [:clean, :reject], [result.verdict, result.action]
    assert_equal [Pwcheck::Reason.new(code: :too_long, max: 72)], result.reasons
  end

  def test_long_context_values_are_cut_rather_than_refused
    result = client.check(clean_passphrase, flow: :registration, context: { name: secret("Ann Example " * 30) })
    assert_equal :accept, result.action
  end

  # A 4xx is the caller's mistake, not an outage: it raises even with on_error: :allow.
  def test_bad_input_raises_with_the_problem_detail
    password = secret("x" * 1025)
    %i[allow deny raise].each do |on_error|
      error = assert_raises(Pwcheck::RequestError) { client(on_error: on_error).check(password, flow: :login) }
      assert_equal 400, error.status
      assert_equal "password must be at most 1024 UTF-8 bytes", error.message
      assert_equal "Bad Request", error.title
      refute_includes error.message, "xxxxxxxx"
      refute_includes error.inspect, "xxxxxxxx"
    end
  end

  def test_refused_keys
    missing = assert_raises(Pwcheck::AuthenticationError) do
      Pwcheck::Client.new(url: service.url, on_error: :allow).check(secret("password"), flow: :login)
    end
    assert_equal 401, missing.status
    assert_equal "send the caller's API key as Authorization: Bearer <key>", missing.message
    wrong_key = "wrong-#{SecureRandom.hex(8)}"
    secret(wrong_key)
    wrong = assert_raises(Pwcheck::AuthenticationError) do
      Pwcheck::Client.new(url: service.url, api_key: wrong_key, on_error: :allow).check(secret("password"), flow: :login)
    end
    assert_equal 403, wrong.status
    assert_equal "the API key is not valid", wrong.message
    assert_kind_of Pwcheck::RequestError, wrong
    [missing, wrong].each do |error|
      refute_includes error.message, wrong_key
      refute_includes error.message, "password"
    end
  end

  def test_results_and_errors_never_show_a_password_or_context_value
    password = secret("iloveyou")
    name = secret("Ophelia Ironside")
    texts = [client.check(password, flow: :registration, context: { name: name }, mfa: false).inspect,
             client.check(password, flow: :login, mfa: true).inspect, client.inspect]
    texts << assert_raises(Pwcheck::RequestError) do
      client.check("#{password}#{'!' * 1020}", flow: :registration, context: { name: name })
    end.then { |error| [error.message, error.inspect, error.full_message] }.join
    texts.each do |text|
      refute_includes text, password
      refute_includes text, "Ophelia"
      refute_includes text, API_KEY
    end
    assert_includes texts[0], "verdict=:breached count=1007"
  end

  def test_concurrent_checks_on_one_client
    shared = client
    threads = %w[password 123456 123456789 qwerty].each_with_index.map do |password, i|
      Thread.new { [1000 + i, shared.check(secret(password), flow: :login).count] }
    end
    threads.map(&:value).each { |expected, count| assert_equal expected, count }
  end
end
