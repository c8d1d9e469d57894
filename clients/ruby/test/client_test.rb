# frozen_string_literal: true

require "test_helper"
require "logger"
require "pp"
require "stringio"

# The client on its own: arguments, the exact request it sends, and every way a service can fail it, against small
# TCP servers (no jar needed).
class ClientTest < Minitest::Test
  include TestSupport

  BREACHED_LOGIN = RawServer.answer(200, '{"verdict":"breached","count":1000,"action":"require-reset"}',
                                    content_type: "application/json;charset=UTF-8",
                                    headers: { "X-Pwcheck-Source" => "upstream" })

  def teardown
    @servers&.each(&:close)
  end

  def server(server)
    (@servers ||= []) << server
    server
  end

  def raw(response = nil, &block)
    server(RawServer.new(response, &block))
  end

  def test_sends_the_api_s_request_with_the_key_and_reads_the_answer
    srv = raw(BREACHED_LOGIN)
    password = secret("Sünshine 2024 ☀")
    result = Pwcheck::Client.new(url: "#{srv.url}/", api_key: "k-123")
                            .check(password, flow: :login, mfa: false,
                                             context: { username: secret("sunny"), "email" => nil, name: "" })
    request = srv.requests.fetch(0)
    assert_match %r{\APOST /v1/passwords/check HTTP/1\.1\r\n}, request.head
    assert_equal "application/json", request.header("Content-Type")
    assert_equal "Bearer k-123", request.header("Authorization")
    assert_equal({ "password" => password, "flow" => "login", "context" => { "username" => "sunny" }, "mfa" => false },
                 request.json)
    assert_equal :breached, result.verdict
    assert_equal 1000, result.count
    assert_equal :require_reset, result.action
    assert_equal [], result.reasons
    assert_equal :upstream, result.source
    assert result.breached?
    assert result.stop?
    refute result.proceed?
    assert_nil result.error
    assert result.frozen?
  end

  def test_flow_names_and_what_is_left_out
    srv = raw(RawServer.answer(200, '{"verdict":"clean","count":0,"action":"accept"}'))
    client = Pwcheck::Client.new(url: srv.url)
    client.check(secret("a passphrase of some length"), flow: :api_key)
    client.check(secret("a passphrase of some length"), flow: "api-key", context: { email: nil })
    client.check(secret("a passphrase of some length"), flow: "api_key", mfa: true)
    client.check(secret("a passphrase of some length"), flow: "registration", context: {})
    assert_equal [
      { "password" => "a passphrase of some length", "flow" => "api-key" },
      { "password" => "a passphrase of some length", "flow" => "api-key" },
      { "password" => "a passphrase of some length", "flow" => "api-key", "mfa" => true },
      { "password" => "a passphrase of some length", "flow" => "registration" },
    ], srv.requests.map(&:json)
    srv.requests.each { |request| assert_nil request.header("Authorization") }
    assert_equal({ "login" => "login", "reset" => "reset", "api-key" => "api-key" },
                 { "login" => :login, "reset" => :reset, "api-key" => :api_key }
                   .transform_values { |flow| Pwcheck::Client.wire_flow(flow) })
  end

  def test_check_sha1_sends_only_the_hash
    srv = raw(RawServer.answer(200, '{"verdict":"breached","count":1000,"action":"reset-after-mfa"}'))
    sha1 = secret("password") && Digest::SHA1.hexdigest("password")
    result = Pwcheck::Client.new(url: srv.url).check_sha1(sha1, flow: :login, mfa: true)
    assert_equal({ "sha1" => sha1, "flow" => "login", "mfa" => true }, srv.requests.fetch(0).json)
    assert_equal :reset_after_mfa, result.action
    assert result.reset_after_mfa?
  end

  def test_long_context_values_are_cut_at_a_character_boundary
    srv = raw(RawServer.answer(200, '{"verdict":"clean","count":0,"action":"accept","reasons":[]}'))
    name = secret("é" * 200) # 400 bytes
    Pwcheck::Client.new(url: srv.url).check(secret("a passphrase of some length"), flow: :registration,
                                                                                   context: { name: name })
    sent = srv.requests.fetch(0).json.fetch("context").fetch("name")
    assert_equal "é" * 128, sent
  end

  def test_a_password_in_another_encoding_is_sent_as_utf8
    srv = raw(RawServer.answer(200, '{"verdict":"clean","count":0}'))
    Pwcheck::Client.new(url: srv.url).check(secret("Grüße aus Köln").encode("ISO-8859-1"))
    assert_equal "Grüße aus Köln", srv.requests.fetch(0).json.fetch("password")
  end

  def test_reads_every_reason
    body = '{"verdict":"breached","count":1003,"action":"reject","reasons":[{"code":"breached","count":1003},' \
           '{"code":"too-short","min":8},{"code":"too-long","max":72},{"code":"context-word","field":"email"},' \
           '{"code":"some-new-rule"}]}'
    result = Pwcheck::Client.new(url: raw(RawServer.answer(200, body)).url)
                            .check(secret("qwerty"), flow: :registration)
    assert_equal [
      Pwcheck::Reason.new(code: :breached, count: 1003), Pwcheck::Reason.new(code: :too_short, min: 8),
      Pwcheck::Reason.new(code: :too_long, max: 72), Pwcheck::Reason.new(code: :context_word, field: :email),
      Pwcheck::Reason.new(code: :some_new_rule)
    ], result.reasons
    assert_nil result.reasons[1].count
    assert_nil result.reasons[1].field
    assert_equal 8, result.reasons[1].min
    assert result.reasons.frozen?
  end

  def test_arguments_are_checked_without_echoing_them
    client = Pwcheck::Client.new(url: "http://127.0.0.1:9")
    secret_text = secret("S3cret-Argument-Value")
    errors = [
      -> { client.check("") },
      -> { client.check(nil) },
      -> { client.check(12_345_678) },
      -> { client.check("#{secret_text}\xFF".b.force_encoding(Encoding::UTF_8)) },
      -> { client.check("#{secret_text}\xFF".b.force_encoding(Encoding::US_ASCII)) },
      -> { client.check(secret_text, flow: :signup) },
      -> { client.check(secret_text, flow: secret_text) },
      -> { client.check(secret_text, mfa: "yes") },
      -> { client.check(secret_text, context: secret_text) },
      -> { client.check(secret_text, context: { secret_text => "x" }) },
      -> { client.check(secret_text, context: { username: 42 }) },
      -> { client.check(secret_text, context: { username: "#{secret_text}\xFF".b.force_encoding("UTF-8") }) },
      -> { client.check_sha1(secret_text) },
      -> { client.check_sha1(Digest::SHA1.hexdigest(secret_text)[0, 39] + "g") },
      -> { client.check_sha1(Digest::SHA1.hexdigest(secret_text) + "0") },
    ].map { |call| assert_raises(ArgumentError) { call.call } }
    assert_equal 15, errors.size
    errors.each do |error|
      refute_includes error.message, secret_text
      refute_includes error.message, Digest::SHA1.hexdigest(secret_text)[0, 39]
      assert_nil error.cause, "an error's cause would carry its own message: #{error.cause.inspect}"
    end
    assert_equal "password must be a non-empty String", errors[0].message
    assert_equal "sha1 must be a String of 40 hexadecimal characters", errors[12].message
  end

  def test_constructor_arguments
    assert_raises(ArgumentError) { Pwcheck::Client.new(url: "ftp://pwcheck") }
    assert_raises(ArgumentError) { Pwcheck::Client.new(url: "pwcheck:8080") }
    assert_raises(ArgumentError) { Pwcheck::Client.new(url: "http://") }
    assert_raises(ArgumentError) { Pwcheck::Client.new(url: "http://bad host/") }
    error = assert_raises(ArgumentError) { Pwcheck::Client.new(url: "http://user:hunter2-url@pwcheck:8080") }
    refute_includes error.message, "hunter2-url"
    assert_raises(ArgumentError) { Pwcheck::Client.new(url: "http://pwcheck", on_error: :ignore) }
    assert_raises(ArgumentError) { Pwcheck::Client.new(url: "http://pwcheck", on_error: nil) }
    assert_raises(ArgumentError) { Pwcheck::Client.new(url: "http://pwcheck", open_timeout: 0) }
    assert_raises(ArgumentError) { Pwcheck::Client.new(url: "http://pwcheck", read_timeout: "2") }
    error = assert_raises(ArgumentError) { Pwcheck::Client.new(url: "http://pwcheck", api_key: "key with\nnewline") }
    refute_includes error.message, "newline"
    assert_raises(ArgumentError) { Pwcheck::Client.new(url: "http://pwcheck", api_key: "") }
    assert_equal :deny, Pwcheck::Client.new(url: "http://pwcheck", on_error: "deny").on_error
    client = Pwcheck::Client.new(url: URI("https://pwcheck.example.org/base/"))
    assert_equal "https://pwcheck.example.org/base", client.url
    assert_equal [1, 2, 2, :allow], [client.open_timeout, client.read_timeout, client.write_timeout, client.on_error]
    assert client.frozen?
  end

  def test_inspect_never_shows_the_key
    key = "key-#{SecureRandom.hex(8)}"
    client = Pwcheck::Client.new(url: "http://pwcheck:8080", api_key: key)
    out = StringIO.new
    PP.pp(client, out)
    [client.inspect, client.to_s, out.string].each do |text|
      refute_includes text, key
      assert_includes text, "api_key=[FILTERED]"
      assert_includes text, 'url="http://pwcheck:8080"'
    end
    assert_includes Pwcheck::Client.new(url: "http://pwcheck:8080").inspect, "api_key=nil"
  end

  # A service that accepts and never answers, under each on_error, within open_timeout + read_timeout.
  def test_silent_service_under_each_on_error
    silent = server(SilentServer.new)
    log = StringIO.new
    password = secret("password")
    cases = { allow: %i[allow accept], deny: %i[require_reset reject] }.flat_map do |on_error, (login, registration)|
      client = Pwcheck::Client.new(url: silent.url, open_timeout: 0.5, read_timeout: 1, on_error: on_error,
                                   logger: Logger.new(log))
      [[:login, login], [:registration, registration], [:api_key, registration], [nil, nil]].map do |flow, action|
        [action, Thread.new { elapsed { client.check(password, flow: flow) } }] # at once: each waits 1 s
      end
    end
    assert_equal 8, cases.size
    cases.each do |action, thread|
      result, seconds = thread.value
      assert_operator seconds, :<, 3
      assert_operator seconds, :>=, 0.9 # it did wait for the read timeout
      assert_equal :unknown, result.verdict
      assert_equal 0, result.count
      assert_equal [], result.reasons
      assert_nil result.source
      action.nil? ? assert_nil(result.action) : assert_equal(action, result.action)
      assert_kind_of Pwcheck::UnavailableError, result.error
      assert_equal :timeout, result.error.reason
    end
    client = Pwcheck::Client.new(url: silent.url, open_timeout: 0.5, read_timeout: 1, on_error: :raise)
    error, seconds = elapsed do
      assert_raises(Pwcheck::UnavailableError) do
        client.check(password, flow: :login, context: { name: secret("Ann Example") })
      end
    end
    assert_operator seconds, :<, 3
    assert_kind_of Pwcheck::Error, error
    assert_equal :timeout, error.reason
    assert_equal "pwcheck did not answer in time (Net::ReadTimeout)", error.message
    assert_includes log.string, "pwcheck did not answer in time (Net::ReadTimeout); answering unknown (on_error: allow)"
    refute_includes log.string, password
    refute_includes log.string, "Ann Example"
  end

  # A connection the service never accepts (its backlog is full): the open timeout ends the call.
  def test_connection_that_never_completes
    listener = Socket.new(:INET, :STREAM)
    listener.bind(Addrinfo.tcp("127.0.0.1", 0))
    listener.listen(0)
    port = listener.local_address.ip_port
    fillers = Array.new(3) do
      socket = Socket.new(:INET, :STREAM)
      begin
        socket.connect_nonblock(Addrinfo.tcp("127.0.0.1", port))
      rescue IO::WaitWritable
        nil
      end
      socket
    end
    sleep 0.2
    client = Pwcheck::Client.new(url: "http://127.0.0.1:#{port}", open_timeout: 0.5, read_timeout: 1)
    result, seconds = elapsed { client.check(secret("password"), flow: :registration) }
    assert_operator seconds, :<, 1.5
    assert_equal [:unknown, :accept, :timeout], [result.verdict, result.action, result.error.reason]
    assert_equal "pwcheck did not answer in time (Net::OpenTimeout)", result.error.message
  ensure
    fillers&.each(&:close)
    listener&.close
  end

  def test_unreachable_service
    url = "http://127.0.0.1:#{free_port}"
    result, seconds = elapsed { Pwcheck::Client.new(url: url).check(secret("password"), flow: :reset) }
    assert_operator seconds, :<, 3
    assert_equal [:unknown, :accept, :unreachable], [result.verdict, result.action, result.error.reason]
    assert_equal :reject, Pwcheck::Client.new(url: url, on_error: :deny).check(secret("password"), flow: :reset).action
    error = assert_raises(Pwcheck::UnavailableError) do
      Pwcheck::Client.new(url: url, on_error: :raise).check(secret("password"), flow: :reset)
    end
    assert_match(/\Apwcheck could not be reached \(Errno::ECONNREFUSED: /, error.message)
    refute_includes error.message, "password"
  end

  # (Name resolution is not bounded by open_timeout on Ruby 3.1: .invalid names fail at once.)
  def test_unknown_host
    client = Pwcheck::Client.new(url: "http://pwcheck.invalid:8080", open_timeout: 0.5, on_error: :raise)
    error = assert_raises(Pwcheck::UnavailableError) { client.check(secret("password")) }
    assert_equal :unreachable, error.reason
    # SocketError on Ruby 3.1; Socket::ResolutionError (a subclass) from 3.3.
    assert_match(/\Apwcheck could not be reached \((Socket::Resolution|Socket)Error: /, error.message)
    assert_equal :allow, Pwcheck::Client.new(url: "http://pwcheck.invalid:8080").check("password", flow: :login).action
  end

  def test_server_errors_and_unreadable_answers
    answers = {
      RawServer.answer(503, '{"title":"Service Unavailable"}', content_type: "application/problem+json") =>
        [:server_error, "pwcheck answered HTTP 503"],
      RawServer.answer(500, "<html>oops</html>", content_type: "text/html") => [:server_error, "pwcheck answered HTTP 500"],
      RawServer.answer(200, '{"verdict":"breached","count":') => [:unreadable, "pwcheck's answer is not valid JSON"],
      RawServer.answer(200, '{"verdict":"pwned","count":1,"action":"allow"}') =>
        [:unreadable, "pwcheck's answer has no known verdict"],
      RawServer.answer(200, '{"verdict":"clean","count":"0","action":"allow"}') => [:unreadable, "pwcheck's answer has no count"],
      RawServer.answer(200, '{"verdict":"clean","count":0}') =>
        [:unreadable, "pwcheck's answer has no action for the login flow"],
      RawServer.answer(200, '{"verdict":"clean","count":0,"action":"accept"}') =>
        [:unreadable, "pwcheck's answer has no action for the login flow"],
      RawServer.answer(200, '["clean"]') => [:unreadable, "pwcheck's answer is not a JSON object"],
      RawServer.answer(200, '{"verdict":"clean","count":0,"action":"allow"}', content_type: "text/html") =>
        [:unreadable, "pwcheck's answer is not JSON"],
      RawServer.answer(200, '{"verdict":"clean","count":0,"action":"allow","reasons":[{"count":1}]}') =>
        [:unreadable, "pwcheck's answer has a reason without a code"],
      RawServer.answer(204, "") => [:unreadable, "pwcheck answered HTTP 204, not 200"],
      RawServer.answer(302, "", headers: { "Location" => "http://elsewhere/" }) =>
        [:unreadable, "pwcheck answered HTTP 302, not 200"],
      RawServer.answer(200, %({"verdict":"clean","count":0,"action":"allow","pad":"#{'x' * 70_000}"})) =>
        [:unreadable, "pwcheck's answer is too large"],
      "garbage\r\n\r\n" => [:unreadable, "pwcheck's answer is not HTTP (Net::HTTPBadResponse)"],
      "" => [:unreachable, nil], # closed without a word
    }
    password = secret("password")
    answers.each do |raw_answer, (reason, message)|
      srv = raw(raw_answer)
      allow = Pwcheck::Client.new(url: srv.url, read_timeout: 2).check(password, flow: :login)
      assert_equal [:unknown, 0, :allow, [], nil], [allow.verdict, allow.count, allow.action, allow.reasons, allow.source],
                   raw_answer[0, 60]
      deny = Pwcheck::Client.new(url: srv.url, on_error: :deny).check(password, flow: :login)
      assert_equal :require_reset, deny.action
      error = assert_raises(Pwcheck::UnavailableError) do
        Pwcheck::Client.new(url: srv.url, on_error: :raise).check(password, flow: :login)
      end
      assert_equal reason, error.reason, raw_answer[0, 60]
      assert_equal message, error.message if message
      refute_includes error.message, password
      assert_nil error.cause if reason == :unreadable && error.status # a JSON parser's message would quote the answer
    end
  end

  # 4xx: a refused request raises whatever on_error says, with the problem's detail as the message.
  def test_refused_requests_always_raise
    problem = lambda do |status, detail|
      RawServer.answer(status, JSON.generate(type: "about:blank", title: "T", status: status, detail: detail),
                       content_type: "application/problem+json", headers: status == 429 ? { "Retry-After" => "7" } : {})
    end
    {
      400 => Pwcheck::RequestError, 401 => Pwcheck::AuthenticationError, 403 => Pwcheck::AuthenticationError,
      413 => Pwcheck::RequestError, 415 => Pwcheck::RequestError, 429 => Pwcheck::RateLimitedError,
    }.each do |status, error_class|
      srv = raw(problem.call(status, "detail for #{status}"))
      %i[allow deny raise].each do |on_error|
        error = assert_raises(error_class) do
          Pwcheck::Client.new(url: srv.url, on_error: on_error).check(secret("password"), flow: :login)
        end
        assert_kind_of Pwcheck::RequestError, error
        assert_kind_of Pwcheck::Error, error
        assert_equal status, error.status
        assert_equal "detail for #{status}", error.message
        assert_equal "detail for #{status}", error.detail
        assert_equal "T", error.title
        assert_equal 7, error.retry_after if status == 429
      end
    end
    error = assert_raises(Pwcheck::RequestError) do
      Pwcheck::Client.new(url: raw(RawServer.answer(404, "not found", content_type: "text/plain")).url)
                     .check(secret("password"))
    end
    assert_equal [404, "the service refused the request (HTTP 404)"], [error.status, error.message]
  end

  def test_result_and_reason_values
    reason = Pwcheck::Reason.new(code: :too_short, min: 15)
    assert_equal({ code: :too_short, min: 15 }, reason.to_h)
    assert reason.frozen?
    assert_equal "#<Pwcheck::Reason code=:too_short min=15>", reason.inspect
    result = Pwcheck::Result.new(verdict: :clean, count: 0, action: :accept, reasons: [reason], source: :cache)
    assert result.proceed?
    refute result.stop?
    assert result.clean?
    refute result.unknown?
    assert_raises(FrozenError) { result.reasons << reason }
    assert_equal({ verdict: :clean, count: 0, action: :accept, reasons: [{ code: :too_short, min: 15 }], source: :cache },
                 result.to_h)
    assert_raises(ArgumentError) { Pwcheck::Result.new(verdict: :maybe) }
  end
end
