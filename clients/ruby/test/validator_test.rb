# frozen_string_literal: true

require "test_helper"
require "pwcheck/validator"

# PwcheckValidator on ActiveModel models, against the packaged service (and small TCP servers for what it cannot be
# made to answer).
class ValidatorTest < Minitest::Test
  include TestSupport

  class Account
    include ActiveModel::Model
    attr_accessor :handle, :email, :full_name, :password, :mfa

    def self.name
      "Account"
    end

    validates :password, pwcheck: {
      client: -> { TestSupport.client },
      flow: :registration,
      context: ->(account) { { username: account.handle, email: account.email, name: account.full_name } },
      mfa: ->(account) { account.mfa },
    }
  end

  def account(password, mfa: true, **attributes)
    defaults = { handle: secret("marigold"), email: secret("quill.writer@example.org"), full_name: secret("Xanthe Lovelace") }
    Account.new(password: password && secret(password), mfa: mfa, **defaults, **attributes)
  end

  # A model class validated with the given pwcheck options.
  def model(**options)
    Class.new do
      include ActiveModel::Model
      attr_accessor :password

      def self.name
        "Signup"
      end

      validates :password, pwcheck: options
    end
  end

  def teardown
    I18n.backend.reload! if @translations_changed
    @servers&.each(&:close)
  end

  def test_one_message_per_reason_in_the_service_s_order
    record = account("qwerty", handle: secret("qwerty"))
    refute record.valid?
    assert_equal ["has been seen 1,003 times in data breaches", "use at least 8 characters", "don't use your username"],
                 record.errors[:password]
    assert_equal [{ error: :pwcheck_breached, count: 1003, times: "1,003" }, { error: :pwcheck_too_short, min: 8 },
                  { error: :pwcheck_context_word_username }], record.errors.details[:password]
    assert_equal "Password has been seen 1,003 times in data breaches", record.errors.full_messages.first
  end

  def test_single_factor_accounts_need_fifteen_characters
    record = account("qwerty", mfa: false, handle: secret("qwerty"))
    refute record.valid?
    assert_equal ["has been seen 1,003 times in data breaches", "use at least 15 characters", "don't use your username"],
                 record.errors[:password]
    long = account("a long passphrase #{SecureRandom.hex(4)}", mfa: false)
    assert long.valid?, long.errors.full_messages.inspect
  end

  def test_each_context_field_and_the_site_s_name
    { "Quill.Writer7" => "don't use your e-mail address", "Lovelace99!" => "don't use your name",
      "Rubygems2024" => "don't use the name of this site", "Marigold2024" => "don't use your username" }.each do |pw, message|
      record = account(pw)
      refute record.valid?
      assert_equal [message], record.errors[:password]
    end
    too_long = account("#{'long ' * 16}passphrase")
    refute too_long.valid?
    assert_equal ["use a shorter password (at most 72 bytes)"], too_long.errors[:password]
  end

  def test_a_breached_password_without_context_or_mfa
    # No context and no mfa: the answer lists no reasons; the validator still names the breach.
    record = model(client: TestSupport.client, flow: :reset).new(password: secret("trustno1"))
    refute record.valid?
    assert_equal ["has been seen 1,018 times in data breaches"], record.errors[:password]
  end

  def test_a_clean_password_is_valid
    record = account(clean_passphrase)
    assert record.valid?, record.errors.full_messages.inspect
    assert_empty record.errors
  end

  def test_one_time
    srv = server(RawServer.new(RawServer.answer(200, '{"verdict":"breached","count":1,"action":"reject"}')))
    record = model(client: Pwcheck::Client.new(url: srv.url)).new(password: secret("seen-once"))
    refute record.valid?
    assert_equal ["has been seen 1 time in data breaches"], record.errors[:password]
  end

  def test_blank_passwords_are_not_sent
    srv = server(RawServer.new(RawServer.answer(200, '{"verdict":"clean","count":0,"action":"accept"}')))
    klass = model(client: Pwcheck::Client.new(url: srv.url))
    [nil, ""].each { |blank| assert klass.new(password: blank).valid? }
    assert_empty srv.requests
    assert klass.new(password: "  ").valid? # spaces are a password: checked
    assert_equal 1, srv.requests.size
  end

  def test_an_unchecked_password_under_deny
    url = "http://127.0.0.1:#{free_port}"
    denied = model(client: Pwcheck::Client.new(url: url, on_error: :deny)).new(password: secret("any password at all"))
    refute denied.valid?
    assert_equal ["could not be checked for data breaches, try again"], denied.errors[:password]
    assert_equal [{ error: :pwcheck_unchecked }], denied.errors.details[:password]
    allowed = model(client: Pwcheck::Client.new(url: url)).new(password: secret("any password at all"))
    assert allowed.valid?
    raising = model(client: Pwcheck::Client.new(url: url, on_error: :raise)).new(password: secret("any password"))
    assert_raises(Pwcheck::UnavailableError) { raising.valid? }
  end

  def test_a_refused_key_raises
    klass = model(client: Pwcheck::Client.new(url: service.url, api_key: "not-the-key"))
    error = assert_raises(Pwcheck::AuthenticationError) { klass.new(password: secret("password")).valid? }
    assert_equal 403, error.status
  end

  def test_messages_can_be_overridden_through_i18n
    I18n.t("errors.messages.pwcheck_unchecked") # load the translations before storing over them
    @translations_changed = true
    I18n.backend.store_translations(:en, errors: { messages: { pwcheck_breached: { one: "is in %{times} breach",
                                                                                   other: "is in %{times} breaches" },
                                                               pwcheck_context_word_username: "contains your handle" } })
    I18n.backend.store_translations(:en, activemodel: { errors: { models: { account: { attributes: { password: {
      pwcheck_too_short: "needs %{min}+ characters",
    } } } } } })
    record = account("qwerty", handle: secret("qwerty"))
    refute record.valid?
    assert_equal ["is in 1,003 breaches", "needs 8+ characters", "contains your handle"], record.errors[:password]
  end

  def test_default_client_and_option_forms
    previous = Pwcheck.instance_variable_get(:@client)
    Pwcheck.client = TestSupport.client
    klass = Class.new(Account) do
      def self.name
        "Member"
      end

      clear_validators!
      validates :password, pwcheck: { flow: "reset", context: :pwcheck_context, mfa: true }

      def pwcheck_context
        { username: handle }
      end
    end
    record = klass.new(password: secret("qwerty"), handle: secret("qwerty"))
    refute record.valid?
    assert_equal ["has been seen 1,003 times in data breaches", "use at least 8 characters", "don't use your username"],
                 record.errors[:password]
    Pwcheck.client = nil
    error = assert_raises(Pwcheck::Error) { klass.new(password: secret("qwerty")).valid? }
    assert_match(/Pwcheck.client is not set/, error.message)
  ensure
    Pwcheck.client = previous
  end

  def test_invalid_options_fail_at_class_definition
    assert_raises(ArgumentError) { model(flow: :signup) }
    assert_raises(ArgumentError) { model(client: "http://pwcheck") }
    assert_raises(ArgumentError) { model(mfa: "yes") }
    assert_raises(ArgumentError) { model(context: "username") }
  end

  def test_errors_never_carry_the_password_or_context
    record = account("qwerty", handle: secret("qwerty"))
    record.valid?
    texts = [record.errors.full_messages.join, record.errors.details.inspect,
             record.errors.map { |e| [e.message, e.options] }.inspect]
    texts.each do |text|
      refute_includes text, "qwerty"
      refute_includes text, "quill.writer"
      refute_includes text, "Lovelace"
    end
  end

  private

  def server(srv)
    (@servers ||= []) << srv
    srv
  end
end
