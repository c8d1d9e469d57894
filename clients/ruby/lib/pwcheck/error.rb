# frozen_string_literal: true

module Pwcheck
  # Base class of everything this gem raises on purpose. Messages never carry a password, a hash of one, an API key
  # or a context value: they name what went wrong, and for a refused request they quote the service's problem detail
  # (which never quotes the request either).
  class Error < StandardError; end

  # The service refused the request (4xx). Raised whatever on_error says: a refused request is a bug or a
  # misconfiguration (a wrong key, a password over 1,024 bytes), not an outage, and must not be mistaken for one.
  class RequestError < Error
    # HTTP status (400..499) and the problem's fields (RFC 9457), nil when the answer had none.
    attr_reader :status, :type, :title, :detail

    def initialize(message = nil, status: nil, type: nil, title: nil, detail: nil)
      @status = status
      @type = type
      @title = title
      @detail = detail
      super(message || detail || title || "the service refused the request (HTTP #{status})")
    end
  end

  # 401 (no key sent) or 403 (a key the service does not know): a deployment error.
  class AuthenticationError < RequestError; end

  # 429: this caller's rate limit is spent.
  class RateLimitedError < RequestError
    # Seconds to wait, from Retry-After (nil when absent).
    attr_reader :retry_after

    def initialize(message = nil, retry_after: nil, **problem)
      @retry_after = retry_after
      super(message, **problem)
    end
  end

  # The service could not be asked or its answer could not be used: unreachable (connection refused, DNS), a timeout,
  # a 5xx, or an answer that is not the API's 200 JSON. Raised only with on_error: :raise; otherwise the client
  # answers `unknown` with the flow's proceed (on_error: :allow) or stop (:deny) action, and the result's #error is
  # this exception.
  class UnavailableError < Error
    # :unreachable, :timeout, :server_error or :unreadable
    attr_reader :reason
    # HTTP status for :server_error and :unreadable when there was one, else nil.
    attr_reader :status

    def initialize(message, reason:, status: nil)
      @reason = reason
      @status = status
      super(message)
    end
  end
end
