# frozen_string_literal: true

require "json"
require "net/http"
require "openssl"
require "uri"

module Pwcheck
  # A client of one pwcheck service. Thread-safe: it holds no connection (each check opens its own) and is frozen.
  #
  #   client = Pwcheck::Client.new(url: "http://pwcheck:8080", api_key: ENV["PWCHECK_API_KEY"])
  #   client.check(password, flow: :login, mfa: user.mfa_enabled?).action  # => :allow, :require_reset, ...
  class Client
    # Each flow's [proceed, stop] action: what on_error: :allow and :deny answer when the service cannot be asked.
    FLOW_ACTIONS = {
      "login" => %i[allow require_reset],
      "registration" => %i[accept reject],
      "reset" => %i[accept reject],
      "api-key" => %i[accept reject],
    }.freeze
    # The flows where a breached password of a user with a second factor answers reset-after-mfa.
    RESET_AFTER_MFA_FLOWS = %w[login api-key].freeze
    ON_ERROR = %i[allow deny raise].freeze
    CONTEXT_FIELDS = %w[username email name].freeze
    # The service refuses longer context values (400); longer ones are cut to this many bytes, at a character boundary.
    CONTEXT_MAX_BYTES = 256
    VERDICTS = { "breached" => :breached, "clean" => :clean, "unknown" => :unknown }.freeze
    ACTIONS = {
      "allow" => :allow, "require-reset" => :require_reset, "reset-after-mfa" => :reset_after_mfa,
      "accept" => :accept, "reject" => :reject
    }.freeze
    # A wire name (reason code, field, source): lowercase words joined by dashes; read as a symbol with underscores.
    NAME = /\A[a-z][a-z0-9]*(?:-[a-z0-9]+)*\z/.freeze
    MAX_ANSWER_BYTES = 64 * 1024
    CHECK_PATH = "/v1/passwords/check"
    NETWORK_ERRORS = [SocketError, SystemCallError, IOError, OpenSSL::SSL::SSLError].freeze
    PROTOCOL_ERRORS = [Net::HTTPBadResponse, Net::HTTPHeaderSyntaxError, Net::ProtocolError].freeze

    attr_reader :url, :open_timeout, :read_timeout, :write_timeout, :on_error

    # url           the service's base URL (http or https), e.g. "http://pwcheck:8080"
    # api_key       this caller's key, sent as Authorization: Bearer (nil when the service has no keys configured)
    # open_timeout  seconds to connect (TCP and TLS)
    # read_timeout  seconds to wait for the answer; the service answers within its deadline (2 s by default, `unknown`
    #               past it), so a value a little above it (3) lets a slow upstream come back as `unknown` from the
    #               service rather than as a timeout here
    # write_timeout seconds to send the request (default: read_timeout)
    # on_error      what a check returns when the service cannot be asked or its answer cannot be read (unreachable,
    #               timeout, 5xx, not the API's JSON): :allow (verdict :unknown, the flow's proceed action),
    #               :deny (verdict :unknown, the flow's stop action) or :raise (Pwcheck::UnavailableError).
    #               A 4xx always raises Pwcheck::RequestError, whatever this says.
    # logger        optional Logger; a check answered from on_error logs one warning (never the password)
    def initialize(url:, api_key: nil, open_timeout: 1, read_timeout: 2, write_timeout: nil, on_error: :allow,
                   logger: nil)
      @endpoint = endpoint(url)
      @url = @endpoint.to_s.delete_suffix(CHECK_PATH).freeze
      @authorization = api_key.nil? ? nil : "Bearer #{key(api_key)}".freeze
      @open_timeout = seconds(open_timeout, "open_timeout")
      @read_timeout = seconds(read_timeout, "read_timeout")
      @write_timeout = write_timeout.nil? ? @read_timeout : seconds(write_timeout, "write_timeout")
      @on_error = on_error.is_a?(String) ? on_error.to_sym : on_error
      raise ArgumentError, "on_error must be :allow, :deny or :raise" unless ON_ERROR.include?(@on_error)

      @logger = logger
      freeze
    end

    # Checks a password. flow: :login, :registration, :reset or :api_key (symbols or the wire strings, "api-key");
    # context: { username:, email:, name: } (nil values are left out); mfa: true/false whether the user has a second
    # factor. Returns a Pwcheck::Result.
    def check(password, flow: nil, context: nil, mfa: nil)
      body = { "password" => utf8(password, "password") }
      call(body, flow: flow, context: context, mfa: mfa)
    end

    # Checks a SHA-1 (40 hex digits, any case) of the password's UTF-8 bytes, for callers that would rather not send
    # the plaintext: the service answers from the corpus only (no length or context rules). mfa still picks the login
    # and api_key action.
    def check_sha1(sha1, flow: nil, mfa: nil)
      unless sha1.is_a?(String) && sha1.bytesize == 40 && sha1.b.match?(/\A\h{40}\z/n)
        raise ArgumentError, "sha1 must be a String of 40 hexadecimal characters"
      end

      call({ "sha1" => sha1.b.force_encoding(Encoding::UTF_8) }, flow: flow, context: nil, mfa: mfa)
    end

    # The wire name of a flow ("login", "registration", "reset", "api-key"), or nil for nil.
    def self.wire_flow(flow)
      return nil if flow.nil?

      name = (flow.is_a?(Symbol) || flow.is_a?(String)) ? flow.to_s.tr("_", "-") : nil
      raise ArgumentError, "flow must be :login, :registration, :reset or :api_key" unless FLOW_ACTIONS.key?(name)

      name
    end

    def inspect
      "#<Pwcheck::Client url=#{@url.inspect} api_key=#{@authorization ? '[FILTERED]' : 'nil'} " \
        "on_error=#{@on_error.inspect} open_timeout=#{@open_timeout} read_timeout=#{@read_timeout} " \
        "write_timeout=#{@write_timeout}>"
    end
    alias to_s inspect

    # pp and IRB print objects through this; the default would list the instance variables, the key among them.
    def pretty_print(printer)
      printer.text(inspect)
    end

    private

    def call(body, flow:, context:, mfa:)
      wire = self.class.wire_flow(flow)
      body["flow"] = wire if wire
      fields = context_fields(context)
      body["context"] = fields if fields
      unless mfa.nil?
        raise ArgumentError, "mfa must be true, false or nil" unless mfa == true || mfa == false

        body["mfa"] = mfa
      end
      begin
        answer(*post(JSON.generate(body)), wire)
      rescue UnavailableError => e
        fallback(e, wire)
      end
    end

    def fallback(error, flow)
      raise error if @on_error == :raise

      proceed, stop = FLOW_ACTIONS[flow]
      @logger&.warn("pwcheck: #{error.message}; answering unknown (on_error: #{@on_error})")
      Result.new(verdict: :unknown, count: 0, action: @on_error == :allow ? proceed : stop, reasons: [], source: nil,
                 error: error)
    end

    # One request on a new connection. Returns [status, response, body].
    def post(json)
      http = Net::HTTP.new(@endpoint.hostname, @endpoint.port, nil) # nil: never through an http_proxy from ENV
      http.use_ssl = @endpoint.scheme == "https"
      http.open_timeout = @open_timeout
      http.read_timeout = @read_timeout
      http.write_timeout = @write_timeout
      http.max_retries = 0
      request = Net::HTTP::Post.new(@endpoint.request_uri, {
        "Content-Type" => "application/json",
        "Accept" => "application/json, application/problem+json",
        "Accept-Encoding" => "identity",
        "User-Agent" => "pwcheck-ruby/#{VERSION}",
      })
      request["Authorization"] = @authorization if @authorization
      request.body = json
      http.start do
        http.request(request) do |response|
          return [response.code.to_i, response, read_body(response)]
        end
      end
    rescue Timeout::Error => e # Net::OpenTimeout, Net::ReadTimeout, Net::WriteTimeout
      raise UnavailableError.new("pwcheck did not answer in time (#{e.class})", reason: :timeout)
    rescue *NETWORK_ERRORS => e
      raise UnavailableError.new("pwcheck could not be reached (#{e.class}: #{e.message[0, 200]})",
                                 reason: :unreachable)
    rescue *PROTOCOL_ERRORS => e
      raise UnavailableError.new("pwcheck's answer is not HTTP (#{e.class})", reason: :unreadable, status: nil)
    end

    def read_body(response)
      body = +""
      response.read_body do |chunk|
        body << chunk
        next if body.bytesize <= MAX_ANSWER_BYTES

        raise UnavailableError.new("pwcheck's answer is too large", reason: :unreadable, status: response.code.to_i)
      end
      body
    end

    def answer(status, response, body, flow)
      case status
      when 200 then result(response, body, flow)
      when 400..499 then raise refusal(status, response, body)
      when 500..599 then raise UnavailableError.new("pwcheck answered HTTP #{status}", reason: :server_error,
                                                                                       status: status)
      else raise unreadable("pwcheck answered HTTP #{status}, not 200", status)
      end
    end

    def result(response, body, flow)
      raise unreadable("pwcheck's answer is not JSON") unless media_type(response) == "application/json"

      data = parse(body)
      raise unreadable("pwcheck's answer is not a JSON object") unless data.is_a?(Hash)

      verdict = VERDICTS[data["verdict"]] or raise unreadable("pwcheck's answer has no known verdict")
      count = data["count"]
      raise unreadable("pwcheck's answer has no count") unless count.is_a?(Integer) && count >= 0

      Result.new(verdict: verdict, count: count, action: action(data["action"], flow),
                 reasons: reasons(data["reasons"]), source: name(response["X-Pwcheck-Source"]))
    end

    def action(value, flow)
      return (value.is_a?(String) ? ACTIONS[value] : nil) if flow.nil?

      action = ACTIONS[value]
      allowed = FLOW_ACTIONS[flow] + (RESET_AFTER_MFA_FLOWS.include?(flow) ? [:reset_after_mfa] : [])
      raise unreadable("pwcheck's answer has no action for the #{flow} flow") unless allowed.include?(action)

      action
    end

    def reasons(list)
      return [] if list.nil?
      raise unreadable("pwcheck's answer has reasons that are not a list") unless list.is_a?(Array)

      list.map do |item|
        code = item.is_a?(Hash) ? name(item["code"]) : nil
        raise unreadable("pwcheck's answer has a reason without a code") unless code

        numbers = %w[count min max].to_h { |key| [key.to_sym, item[key]] }
        unless numbers.values.all? { |n| n.nil? || n.is_a?(Integer) }
          raise unreadable("pwcheck's answer has a reason with a number that is not an integer")
        end
        field = item["field"].nil? ? nil : name(item["field"])
        raise unreadable("pwcheck's answer has a reason with an unreadable field") if field.nil? && !item["field"].nil?

        Reason.new(code: code, field: field, **numbers)
      end
    end

    # A wire name as a symbol (:too_short for "too-short"), or nil when it is not one.
    def name(value)
      value.is_a?(String) && value.length <= 40 && NAME.match?(value) ? value.tr("-", "_").to_sym : nil
    end

    def refusal(status, response, body)
      problem = %w[application/problem+json application/json].include?(media_type(response)) ? parse_or_nil(body) : nil
      problem = {} unless problem.is_a?(Hash)
      fields = { status: status }
      %w[type title detail].each { |key| fields[key.to_sym] = problem[key] if problem[key].is_a?(String) }
      case status
      when 401, 403 then AuthenticationError.new(**fields)
      when 429 then RateLimitedError.new(retry_after: retry_after(response["Retry-After"]), **fields)
      else RequestError.new(**fields)
      end
    end

    def retry_after(value)
      value.to_s.strip.match?(/\A\d{1,9}\z/) ? value.to_i : nil
    end

    def media_type(response)
      response["Content-Type"].to_s.split(";").first.to_s.strip.downcase
    end

    def parse(body)
      JSON.parse(body)
    rescue JSON::ParserError
      # Not chained: a parser's message quotes the text it could not read.
      raise unreadable("pwcheck's answer is not valid JSON"), cause: nil
    end

    def parse_or_nil(body)
      JSON.parse(body)
    rescue JSON::ParserError
      nil
    end

    def unreadable(message, status = 200)
      UnavailableError.new(message, reason: :unreadable, status: status)
    end

    # password or a context value as valid UTF-8, as the service hashes and compares it.
    def utf8(value, what)
      raise ArgumentError, "#{what} must be a non-empty String" unless value.is_a?(String) && !value.empty?

      text = case value.encoding
             when Encoding::UTF_8 then value
             when Encoding::BINARY then value.dup.force_encoding(Encoding::UTF_8)
             else
               begin
                 value.encode(Encoding::UTF_8)
               rescue EncodingError
                 nil # the conversion error's message quotes the character it could not convert
               end
             end
      raise ArgumentError, "#{what} is not valid text (it must convert to UTF-8)" unless text&.valid_encoding?

      text
    end

    def context_fields(context)
      return nil if context.nil?
      raise ArgumentError, "context must be a Hash of username, email and name" unless context.respond_to?(:to_hash)

      fields = {}
      context.to_hash.each do |key, value|
        field = key.to_s
        raise ArgumentError, "context keys must be username, email or name" unless CONTEXT_FIELDS.include?(field)
        next if value.nil? || value == ""
        raise ArgumentError, "context values must be Strings" unless value.is_a?(String)

        text = utf8(value, "a context value")
        text = text.byteslice(0, CONTEXT_MAX_BYTES).scrub("") if text.bytesize > CONTEXT_MAX_BYTES
        fields[field] = text
      end
      fields.empty? ? nil : fields
    end

    def endpoint(url)
      uri = url.is_a?(URI::Generic) ? url.dup : URI.parse(url.to_s)
      unless uri.is_a?(URI::HTTP) && uri.host && !uri.host.empty?
        raise ArgumentError, "url must be an http or https URL, e.g. http://pwcheck:8080"
      end
      raise ArgumentError, "url must not carry credentials (pass api_key:)" if uri.userinfo
      raise ArgumentError, "url must not have a query or fragment" if uri.query || uri.fragment

      uri.path = uri.path.chomp("/") + CHECK_PATH
      uri.freeze
    rescue URI::InvalidURIError
      raise ArgumentError, "url must be an http or https URL, e.g. http://pwcheck:8080", cause: nil
    end

    def key(api_key)
      # Checked here: Net::HTTP's own error for a bad header value would quote it.
      unless api_key.is_a?(String) && api_key.b.match?(/\A[\x21-\x7e]+\z/n)
        raise ArgumentError, "api_key must be a non-empty String of printable ASCII without spaces"
      end

      api_key
    end

    def seconds(value, what)
      raise ArgumentError, "#{what} must be a positive number of seconds" unless value.is_a?(Numeric) && value.positive?

      value
    end
  end
end
