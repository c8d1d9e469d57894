# frozen_string_literal: true

require "test_helper"
require "open3"
require "rubygems/package"

# The gem as a whole: its specification, and what `require` loads.
class GemTest < Minitest::Test
  include TestSupport

  def ruby(code)
    out, status = Open3.capture2e(RbConfig.ruby, "-I", File.join(ROOT, "lib"), "-e", code)
    assert status.success?, out
    out
  end

  def test_gemspec
    spec = Gem::Specification.load(File.join(ROOT, "pwcheck.gemspec"))
    assert_equal "pwcheck", spec.name
    assert_equal Pwcheck::VERSION, spec.version.to_s
    assert_equal ["MIT"], spec.licenses
    assert_equal Gem::Requirement.new(">= 3.0"), spec.required_ruby_version
    assert_empty spec.runtime_dependencies
    assert_equal %w[activemodel minitest], spec.development_dependencies.map(&:name).sort
    assert_equal "true", spec.metadata["rubygems_mfa_required"]
    shipped = Dir.chdir(ROOT) { Dir["lib/**/*"].select { |f| File.file?(f) } + ["README.md"] }.sort
    assert_equal shipped, spec.files.sort
    assert_includes spec.files, "lib/pwcheck/locale/en.yml"
    spec.validate(false, false) # raises Gem::InvalidSpecificationException when the spec cannot be built
  end

  def test_require_pwcheck_loads_no_active_model
    out = ruby('require "pwcheck"; p [defined?(ActiveModel), defined?(ActiveSupport), defined?(I18n), ' \
               'Object.autoload?(:PwcheckValidator)]')
    # The validator is registered by its absolute path, so a gem loaded without -I or $LOAD_PATH still finds it.
    assert_equal %([nil, nil, nil, #{File.join(ROOT, "lib/pwcheck/validator").inspect}]\n), out
  end

  def test_the_validator_loads_when_a_model_names_it
    out = ruby(<<~RUBY)
      require "pwcheck"
      require "active_model"
      class Signup
        include ActiveModel::Model
        attr_accessor :password
        validates :password, pwcheck: { client: Pwcheck::Client.new(url: "http://127.0.0.1:9", on_error: :deny) }
      end
      signup = Signup.new(password: "anything")
      p [Signup.validators.map(&:class), signup.valid?, signup.errors[:password]]
    RUBY
    assert_equal %([[PwcheckValidator], false, ["could not be checked for data breaches, try again"]]\n), out
  end

  def test_require_pwcheck_validator_explicitly
    out = ruby('require "pwcheck/validator"; p [PwcheckValidator.superclass, Pwcheck::Client.name, ' \
               'I18n.t("errors.messages.pwcheck_too_short", min: 8)]')
    assert_equal %([ActiveModel::EachValidator, "Pwcheck::Client", "use at least 8 characters"]\n), out
  end

  # Loaded after the application's translations: its own stay, the gem's are added under them.
  def test_locale_added_after_translations_were_loaded
    out = ruby(<<~RUBY)
      require "active_model"
      I18n.t("errors.messages.blank")
      I18n.backend.store_translations(:en, errors: { messages: { pwcheck_unchecked: "was not checked" } })
      require "pwcheck/validator"
      p [I18n.t("errors.messages.pwcheck_unchecked"), I18n.t("errors.messages.pwcheck_context_word_email"),
         I18n.t("errors.messages.pwcheck_breached", count: 1, times: "1")]
    RUBY
    assert_equal %(["was not checked", "don't use your e-mail address", "has been seen 1 time in data breaches"]\n), out
  end
end
