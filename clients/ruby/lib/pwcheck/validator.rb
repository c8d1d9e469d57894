# frozen_string_literal: true

require "active_model"
require "active_support/number_helper"
require "yaml"
require_relative "../pwcheck"

# Validates a password attribute with the pwcheck service, one error per reason the service gives:
#
#   validates :password, pwcheck: {
#     flow: :registration,                       # or :reset (default :registration)
#     client: PWCHECK,                           # a Pwcheck::Client, or a lambda returning one (default Pwcheck.client)
#     context: ->(user) { { username: user.handle, email: user.email, name: user.full_name } },
#     mfa: ->(user) { user.mfa_enabled? },       # false: 15 characters at least, true or nil: 8
#   }
#
# context and mfa also take a method name (context: :pwcheck_context) or a plain value. A nil or empty value is not
# checked (add presence: true for that). Errors are added only when the service's action stops the flow (:reject,
# :require_reset, :reset_after_mfa), with the types pwcheck_breached, pwcheck_too_short, pwcheck_too_long,
# pwcheck_context_word_<field> (username, email, name, service) and pwcheck_unchecked (stopped with no reason: the
# password could not be checked and the deployment refuses it then). Their English messages are in
# pwcheck/locale/en.yml; the application's own translations take precedence. Neither the password nor a context
# value is ever put in an error. A refused request (Pwcheck::RequestError, e.g. a wrong API key) is raised.
class PwcheckValidator < ActiveModel::EachValidator
  STOP_ACTIONS = %i[reject require_reset reset_after_mfa].freeze
  CONTEXT_WORD_FIELDS = %i[username email name service].freeze
  LOCALE = File.expand_path("locale/en.yml", __dir__)

  # Puts the default messages under the application's: first in I18n.load_path, so that any file of the
  # application's overrides them; if translations were already loaded, adds only the messages not defined yet
  # (reloading would drop translations stored at run time).
  def self.install_locale
    return if I18n.load_path.include?(LOCALE)

    I18n.load_path.unshift(LOCALE)
    backend = I18n.backend
    return unless backend.respond_to?(:initialized?) && backend.initialized?

    YAML.safe_load(File.read(LOCALE)).each do |locale, tree|
      tree.fetch("errors").fetch("messages").each do |key, message|
        next if I18n.exists?("errors.messages.#{key}", locale.to_sym)

        backend.store_translations(locale.to_sym, errors: { messages: { key.to_sym => message } })
      end
    end
  end
  install_locale

  def check_validity!
    Pwcheck::Client.wire_flow(flow)
    client = options[:client]
    unless client.nil? || client.respond_to?(:call) || client.respond_to?(:check)
      raise ArgumentError, "pwcheck client: must be a Pwcheck::Client or a lambda returning one"
    end
    mfa = options[:mfa]
    unless [nil, true, false].include?(mfa) || mfa.is_a?(Symbol) || mfa.respond_to?(:call)
      raise ArgumentError, "pwcheck mfa: must be true, false, a method name or a lambda"
    end
    context = options[:context]
    return if context.nil? || context.is_a?(Hash) || context.is_a?(Symbol) || context.respond_to?(:call)

    raise ArgumentError, "pwcheck context: must be a Hash, a method name or a lambda"
  end

  def validate_each(record, attribute, value)
    return if value.nil? || (value.respond_to?(:empty?) && value.empty?)

    result = client(record).check(value, flow: flow, context: evaluate(options[:context], record),
                                         mfa: evaluate(options[:mfa], record))
    return unless STOP_ACTIONS.include?(result.action)

    reasons = result.reasons
    if result.breached? && reasons.none? { |reason| reason.code == :breached }
      # The answer lists reasons only when the request sent context or mfa, or a rule refused the password.
      reasons = [Pwcheck::Reason.new(code: :breached, count: result.count)] + reasons
    end
    return record.errors.add(attribute, :pwcheck_unchecked) if reasons.empty?

    reasons.each { |reason| add_reason(record, attribute, reason) }
  end

  private

  def flow
    options.fetch(:flow, :registration)
  end

  def add_reason(record, attribute, reason)
    errors = record.errors
    case reason.code
    when :breached
      count = reason.count || 0
      errors.add(attribute, :pwcheck_breached, count: count,
                                               times: ActiveSupport::NumberHelper.number_to_delimited(count))
    when :too_short then errors.add(attribute, :pwcheck_too_short, min: reason.min)
    when :too_long then errors.add(attribute, :pwcheck_too_long, max: reason.max)
    when :context_word
      known = CONTEXT_WORD_FIELDS.include?(reason.field)
      errors.add(attribute, known ? :"pwcheck_context_word_#{reason.field}" : :pwcheck_context_word)
    else
      errors.add(attribute, :pwcheck_refused)
    end
  end

  def client(record)
    client = options[:client]
    return Pwcheck.client if client.nil?

    client.respond_to?(:check) ? client : evaluate(client, record)
  end

  def evaluate(option, record)
    case option
    when Symbol then record.send(option)
    when Proc then option.arity.zero? ? option.call : option.call(record)
    else option.respond_to?(:call) ? option.call(record) : option
    end
  end
end
