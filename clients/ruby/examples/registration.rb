# frozen_string_literal: true

# Registration: the whole password rule as one validation. pwcheck refuses a breached password, one under 8
# characters (15 when the password is the account's only factor), and one made of the user's handle, e-mail or
# name, or of the site's name, with one error per reason, in the words of the registration form's widget.
require "active_model"
require "pwcheck"

# config/initializers/pwcheck.rb
Pwcheck.client = Pwcheck::Client.new(url: ENV.fetch("PWCHECK_URL"), api_key: ENV["PWCHECK_API_KEY"],
                                     open_timeout: 0.5, read_timeout: 3)

# An Active Record model takes the same `validates` line (e.g. with `if: :password_digest_changed?`).
class User
  include ActiveModel::Model
  attr_accessor :handle, :email, :full_name, :password, :mfa_enabled
  alias mfa_enabled? mfa_enabled

  validates :password, pwcheck: {
    flow: :registration,                         # :reset on the password-reset form
    context: ->(user) { { username: user.handle, email: user.email, name: user.full_name } },
    mfa: ->(user) { user.mfa_enabled? },         # a new account has no second factor yet: 15 characters
  }
end

# user = User.new(handle: "qwerty", email: "q@example.org", password: "qwerty", mfa_enabled: false)
# user.valid?             # => false
# user.errors[:password]  # => ["has been seen 1,003 times in data breaches", "use at least 15 characters",
#                         #     "don't use your username"]   (the count is the bundled fake upstream's)
