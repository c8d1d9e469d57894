# frozen_string_literal: true

module Pwcheck
  # One reason the service gives why a password is refused or at risk. `code` is :breached (with #count),
  # :too_short (#min), :too_long (#max) or :context_word (#field: :username, :email, :name or :service); fields that do
  # not apply are nil. A code a newer service adds comes through as its symbol (dashes as underscores).
  class Reason
    attr_reader :code, :count, :min, :max, :field

    def initialize(code:, count: nil, min: nil, max: nil, field: nil)
      @code = code
      @count = count
      @min = min
      @max = max
      @field = field
      freeze
    end

    def to_h
      { code: code, count: count, min: min, max: max, field: field }.compact
    end

    def ==(other)
      other.is_a?(Reason) && to_h == other.to_h
    end
    alias eql? ==

    def hash
      to_h.hash
    end

    def inspect
      "#<Pwcheck::Reason #{to_h.map { |k, v| "#{k}=#{v.inspect}" }.join(' ')}>"
    end
  end

  # The answer to one check. Immutable.
  #
  # verdict  :breached, :clean or :unknown (the service, or the client under on_error, could not find out)
  # count    times the password was seen in breaches (0 when clean or unknown)
  # action   what the flow's caller does: :allow, :require_reset or :reset_after_mfa (login; :reset_after_mfa also
  #          for api_key), :accept or :reject (registration, reset, api_key); nil when the check named no flow
  # reasons  Array of Reason ([] when the service listed none)
  # source   where the service's answer came from, from X-Pwcheck-Source: :cache, :upstream, :stale, :mirror,
  #          :fallback or :none; nil when the service did not answer and the result was made from on_error
  # error    nil, or the Pwcheck::UnavailableError that on_error (:allow or :deny) turned into this result
  class Result
    VERDICTS = %i[breached clean unknown].freeze
    PROCEED_ACTIONS = %i[allow accept].freeze
    STOP_ACTIONS = %i[require_reset reject].freeze

    attr_reader :verdict, :count, :action, :reasons, :source, :error

    def initialize(verdict:, count: 0, action: nil, reasons: [], source: nil, error: nil)
      raise ArgumentError, "verdict must be one of #{VERDICTS.join(', ')}" unless VERDICTS.include?(verdict)

      @verdict = verdict
      @count = Integer(count)
      @action = action
      @reasons = reasons.dup.freeze
      @source = source
      @error = error
      freeze
    end

    def breached?
      verdict == :breached
    end

    def clean?
      verdict == :clean
    end

    def unknown?
      verdict == :unknown
    end

    # The caller goes on: sign the user in (:allow) or take the password (:accept).
    def proceed?
      PROCEED_ACTIONS.include?(action)
    end

    # The caller stops: :require_reset (login) or :reject. :reset_after_mfa is neither: see #reset_after_mfa?.
    def stop?
      STOP_ACTIONS.include?(action)
    end

    # Breached, and the user has a second factor: let them complete it, then sign them out and force a reset.
    def reset_after_mfa?
      action == :reset_after_mfa
    end

    def to_h
      { verdict: verdict, count: count, action: action, reasons: reasons.map(&:to_h), source: source }
    end

    def ==(other)
      other.is_a?(Result) && to_h == other.to_h
    end

    def inspect
      reasons_text = reasons.map { |r| r.to_h.map { |k, v| "#{k}=#{v}" }.join(' ') }.join(', ')
      error_text = error ? " error=#{error.class}" : ""
      "#<Pwcheck::Result verdict=#{verdict.inspect} count=#{count} action=#{action.inspect} " \
        "reasons=[#{reasons_text}] source=#{source.inspect}#{error_text}>"
    end
    alias to_s inspect
  end
end
